// The registry of built-in sources: one folder per source, one line here each.
import type { AnySourceFactory } from '../core/source.js';
import { akashSource } from './akash/index.js';
import { hardwareSource } from './hardware/index.js';
import { harmonixSource } from './harmonix/index.js';
import { kubernetesSource } from './kubernetes/index.js';
import { observerSource } from './observer/index.js';
import { osSource } from './os/index.js';

export const builtinSources: readonly AnySourceFactory[] = [osSource, hardwareSource, akashSource, observerSource, kubernetesSource, harmonixSource];
