/** Keys of the state main saves for the post step (same bundle, two runs). */
export enum State {
  IsPost = 'isPost',
  /** This job's private folder: its DOCKER_CONFIG with the login, and the image id file. */
  JobDir = 'jobDir',
}
