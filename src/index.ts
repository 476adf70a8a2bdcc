import * as core from '@actions/core';
import { run } from './main.js';
import { post } from './post.js';
import { State } from './state.js';

if (core.getState(State.IsPost) === 'true') await post();
else await run();
