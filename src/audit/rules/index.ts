import { alpinePython } from './alpine-python.js';
import { aptLists, aptRecommends } from './apt.js';
import { buildToolsInFinal } from './build-tools-in-final.js';
import { copyBeforeInstall } from './copy-before-install.js';
import { noFaulthandler } from './no-faulthandler.js';
import { rootUser } from './root-user.js';
import type { Rule } from './rule.js';
import { unpinnedBase } from './unpinned-base.js';
import { unpinnedPip } from './unpinned-pip.js';

export const RULES: Rule[] = [
  rootUser,
  unpinnedBase,
  alpinePython,
  noFaulthandler,
  copyBeforeInstall,
  unpinnedPip,
  buildToolsInFinal,
  aptRecommends,
  aptLists,
];
