import * as core from '@actions/core';
import { errorMessage } from './inputs/errors.js';
import { run } from './main.js';
import { post } from './post.js';
import { State } from './execute/state.js';

// No top-level await: the bundle is CommonJS, run by dist/index.cjs through a code cache.
const step = core.getState(State.IsPost) === 'true' ? post() : run();
step.catch((error: unknown) => {
  core.setFailed(errorMessage(error));
});
