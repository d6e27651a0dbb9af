// The modes of `npm run bench`: the first is the default, the others are chosen by their flag.
// A new mode is a file in this folder and one line here.
import { compare } from './compare.js';
import { events } from './events.js';
import type { Mode } from './mode.js';
import { profile } from './profile.js';

export const MODES: Mode[] = [compare, profile, events];
