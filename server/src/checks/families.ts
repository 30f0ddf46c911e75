// The families, in the order their checks run and their rules are listed (`--help`, SARIF, the settings
// schema), and the rule table assembled from them. The only module that imports every family.
import { family as auth } from './auth';
import { family as braces } from './braces';
import { family as cluster } from './cluster';
import { family as consequences } from './consequences';
import { family as consistency } from './consistency';
import { family as failover } from './failover';
import type { RuleFamily } from './family';
import { family as hostInterfaces } from './host-interfaces';
import { family as includes } from './includes';
import { family as instanceHandlers } from './instance-handlers';
import { family as instanceRequired } from './instance-required';
import { family as lines } from './lines';
import { family as lvsSetup } from './lvs-setup';
import { family as linter } from './linter';
import { family as paramCycles } from './param-cycles';
import { family as references } from './references';
import type { Rule, RuleId } from './rules';
import { family as security } from './security';
import { family as settings } from './settings';
import { family as strictMode } from './strict-mode';
import { family as structure } from './structure';
import { family as trackingWeights } from './tracking-weights';
import { family as values } from './values';
import { family as virtualServers } from './virtual-servers';
import { family as vrrpSetup } from './vrrp-setup';
import { family as vsGroups } from './vs-groups';

/**
 * Checks of one kind run in this order, and findings at the same position keep it through the final sort:
 * the order is part of the output.
 */
export const FAMILIES: readonly RuleFamily[] = [
  braces,
  structure,
  values,
  lines,
  includes,
  references,
  consistency,
  consequences,
  virtualServers,
  lvsSetup,
  vsGroups,
  strictMode,
  settings,
  paramCycles,
  instanceHandlers,
  instanceRequired,
  vrrpSetup,
  trackingWeights,
  failover,
  cluster,
  security,
  hostInterfaces,
  auth,
  linter,
];

export const RULES: ReadonlyMap<string, Rule> = new Map(
  FAMILIES.flatMap((f) => f.rules.map((r) => [r.id, r])),
);

export const RULE_IDS = [...RULES.keys()] as readonly RuleId[];
