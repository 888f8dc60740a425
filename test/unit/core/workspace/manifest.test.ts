import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PinPackError } from '../../../../src/core/errors';
import {
  DEFAULT_DISCOVERY_URL,
  manifestJsonSchema,
  migrateManifest,
  parseManifest,
  serializeManifest,
  validateManifest,
} from '../../../../src/core/workspace/manifest';
import { distDir, repoRoot } from '../../paths';

const minimal = { schemaVersion: 1, name: 'Sales', target: 'epm-case1' };

function refusal(text: string): string {
  try {
    parseManifest(text);
  } catch (error) {
    assert.ok(error instanceof PinPackError);
    assert.equal(error.kind, 'usage');
    return error.message;
  }
  assert.fail('the manifest was accepted');
}

describe('core/workspace/manifest', () => {
  it('fills the defaults of a minimal manifest, with Ivanti\'s discovery URL', () => {
    const manifest = parseManifest(JSON.stringify(minimal));
    assert.equal(manifest.language, 'en');
    assert.deepEqual(manifest.enrollees, { users: [], groups: [] });
    assert.equal(manifest.device.discoveryUrl, DEFAULT_DISCOVERY_URL);
    assert.equal(manifest.device.destination, 'C:\\ProgramData\\PinPack\\Package');
    assert.deepEqual(manifest.lint.rules, {});
  });

  it('accepts Japanese package and group names, and Japanese user ids without spaces', () => {
    const manifest = parseManifest(JSON.stringify({ ...minimal, name: '営業部 第1課', enrollees: { users: ['山田@contoso.co.jp'], groups: ['営業部'] }, language: 'ja' }));
    assert.equal(manifest.name, '営業部 第1課');
    assert.deepEqual(manifest.enrollees.groups, ['営業部']);
  });

  it('names the JSON path of the bad value and the fix', () => {
    const message = refusal(JSON.stringify({ ...minimal, enrollees: { users: ['a@contoso.com', 'taro yamada@contoso.com'] } }));
    assert.match(message, /^pinpack\.json: "enrollees\.users\[1\]" must not contain spaces/);
    assert.match(message, /fix the file and run again\.$/);
  });

  it('refuses Unicode spaces and a full-width at sign in a uid', () => {
    assert.match(refusal(JSON.stringify({ ...minimal, enrollees: { users: ['taro\u3000yamada@contoso.com'] } })), /spaces/);
    assert.match(refusal(JSON.stringify({ ...minimal, enrollees: { users: ['taro\u00a0y@contoso.com'] } })), /spaces/);
    assert.match(refusal(JSON.stringify({ ...minimal, enrollees: { users: ['taro\uff20contoso.com'] } })), /full-width/);
  });

  it('refuses anything that looks like a secret, wherever it is', () => {
    assert.match(refusal(JSON.stringify({ ...minimal, tenant: { url: 'https://na1.mobileiron.com', password: 'x' } })), /"tenant\.password" looks like a secret/);
    assert.match(refusal(JSON.stringify({ ...minimal, enrollees: { users: [], pins: { a: '1234' } } })), /"enrollees\.pins" looks like a secret/);
  });

  it('refuses an unknown target, an unknown key, bad JSON and a newer schema version, each with one sentence', () => {
    assert.match(refusal(JSON.stringify({ ...minimal, target: 'intune' })), /"target"/);
    assert.match(refusal(JSON.stringify({ ...minimal, colour: 'red' })), /colour/);
    assert.match(refusal('{ "name": '), /^pinpack\.json is not valid JSON .*: fix the syntax and run again\.$/);
    assert.match(refusal(JSON.stringify({ ...minimal, schemaVersion: 7 })), /newer than this PinPack understands/);
    assert.match(refusal(JSON.stringify({ ...minimal, tenant: { url: 'http://na1.mobileiron.com' } })), /"tenant\.url" must be an https:\/\/ URL/);
    assert.match(refusal(JSON.stringify({ ...minimal, device: { destination: 'relative\\path' } })), /"device\.destination" must be an absolute Windows path/);
  });

  it('counts the further problems in its message', () => {
    assert.match(refusal(JSON.stringify({ schemaVersion: 1 })), /\(and 1 more problem\)/);
  });

  it('migrates a version 0 manifest (flat, no schemaVersion) to the current shape', () => {
    const v0 = { name: 'Old', target: 'epm-case1', tenantUrl: 'https://eu1.mobileiron.com', users: ['a@contoso.com'], groups: ['Sales'], adDomain: 'contoso.com', destination: 'D:\\PinPack' };
    const migrated = migrateManifest(v0);
    assert.deepEqual(migrated, {
      schemaVersion: 1,
      name: 'Old',
      target: 'epm-case1',
      tenant: { url: 'https://eu1.mobileiron.com' },
      enrollees: { users: ['a@contoso.com'], groups: ['Sales'] },
      device: { adDomain: 'contoso.com', destination: 'D:\\PinPack' },
    });
    const manifest = parseManifest(JSON.stringify(v0));
    assert.equal(manifest.device.adDomain, 'contoso.com');
    assert.equal(manifest.device.logFolder, 'C:\\ProgramData\\PinPack\\Logs');
  });

  it('does not take a current manifest that lacks schemaVersion for v0 (its settings would be lost)', () => {
    const message = refusal(JSON.stringify({ name: 'New', target: 'epm-case1', device: { adDomain: 'contoso.com' } }));
    assert.match(message, /^pinpack\.json: "schemaVersion" /);
  });

  it('is what package.json gives VS Code for pinpack.json (jsonValidation)', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { jsonValidation: unknown } };
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'pinpack.json', url: './dist/pinpack.schema.json' }]);
  });

  it('validates a migrated v0 manifest too: its bad values are still refused with their new path', () => {
    const result = validateManifest({ name: 'Old', target: 'sccm', users: ['a b@contoso.com'] });
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.issues[0]?.path, ['enrollees', 'users', 0]);
  });

  it('serializes in a stable order and reads back the same manifest', () => {
    const manifest = parseManifest(JSON.stringify({ ...minimal, device: { adDomain: 'contoso.com' }, enrollees: { groups: ['Sales'] } }));
    const text = serializeManifest(manifest);
    assert.deepEqual(Object.keys(JSON.parse(text) as object), ['schemaVersion', 'name', 'target', 'language', 'enrollees', 'device', 'lint']);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(parseManifest(text), manifest);
  });

  it('generates the same JSON Schema that the build writes to dist/pinpack.schema.json', () => {
    const written = JSON.parse(readFileSync(join(distDir, 'pinpack.schema.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(written, manifestJsonSchema());
    assert.equal(written['$schema'], 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(written['required'], ['schemaVersion', 'name', 'target']);
  });
});
