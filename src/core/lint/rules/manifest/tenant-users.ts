import docs from '../../../../../docs/rules/PP3004.md';
import type { ManifestParse } from '../../manifest/parser';
import type { Rule } from '../../rule';

/**
 * PP3004: a user or group in pinpack.json that the tenant does not know, or an account that
 * cannot enroll (disabled, locked, not a user account). Only the tenant can tell, so the rule is
 * checked online by checkManifestUsers (lint/online/users.ts) when asked for; it is registered
 * here so that it has its id, level, page and SARIF entry and obeys `lint.rules` like any other.
 */
export const tenantUsers: Rule<ManifestParse> = {
  id: 'PP3004',
  language: 'manifest',
  severity: 'error',
  message: 'Use only users and groups the tenant knows and that can enroll: check the spelling with "pinpack users --search", or remove the entry.',
  docs,
  fixable: true,
  needs: 'tenant',
  check() {
    // Offline lint never reports it: see checkManifestUsers.
  },
};
