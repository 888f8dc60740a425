import { scaffoldWorkspace } from '../../src/core/workspace/scaffold';

/**
 * Child process of the crash-safety test, bundled by it with esbuild: scaffolds the workspace in
 * argv[2] (target argv[3], conflict policy argv[4]) after saying "ready", so that the test can
 * kill it at a random moment of the writing.
 */
const [dir, target, policy] = process.argv.slice(2) as [string, string, 'keep' | 'overwrite'];
process.stdout.write('ready\n', () => {
  void scaffoldWorkspace({ dir, target: target as never, name: 'Sales', users: ['a@contoso.com'], adDomain: 'contoso.com', onConflict: policy }).then(() => process.stdout.write('done\n'));
});
