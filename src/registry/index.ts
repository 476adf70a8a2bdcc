export { readRemoteImage, type ReadRemoteImageOptions, type RemoteRead } from './read-remote-image.js';
