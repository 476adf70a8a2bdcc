/** Keys of the state main saves for the post step (same bundle, two runs). */
export enum State {
  IsPost = 'isPost',
  /** This job's private folder: its DOCKER_CONFIG with the login, and the image id file. */
  JobDir = 'jobDir',
  /** Name of the in-image test's container, for the post step to remove if main could not. */
  TestContainer = 'testContainer',
}
