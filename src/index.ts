import * as core from '@actions/core';
import { errorMessage } from './shared/errors.js';
import { run } from './main.js';
import { post } from './post.js';
import { State } from './execute/state.js';

// One bundle for both steps: main saves IsPost, so the post step of the same job finds it set.
try {
  await (core.getState(State.IsPost) === 'true' ? post() : run());
} catch (error) {
  core.setFailed(errorMessage(error));
}
