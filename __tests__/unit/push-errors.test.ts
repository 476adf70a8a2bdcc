import { classifyPushFailure } from '../../src/execute/push-errors.js';
import { dockerLines } from './helpers.js';

describe('classifyPushFailure on captured docker push output', () => {
  it.each([
    ['push-manifest-503.txt', true, 'received unexpected HTTP status: 503 Service Unavailable'],
    ['push-manifest-429.txt', true, 'toomanyrequests: too many requests (injected)'],
    ['push-manifest-reset.txt', true, /connection reset by peer$/],
    ['push-refused.txt', true, /connect: connection refused$/],
    ['push-manifest-401.txt', false, 'unauthorized: authentication required (injected)'],
    ['push-no-credentials.txt', false, 'no basic auth credentials'],
  ] as const)('%s → transient %s', (file, transient, cause) => {
    const failure = classifyPushFailure(dockerLines(file), 1, undefined);
    expect(failure.transient).toBe(transient);
    if (typeof cause === 'string') expect(failure.cause).toBe(cause);
    else expect(failure.cause).toMatch(cause);
  });

  it('a push the action stopped (stalled registry) is transient and says so', () => {
    expect(classifyPushFailure(dockerLines('push-manifest-stalled.txt'), 143, 30)).toEqual({
      transient: true,
      cause: 'no progress: the push was stopped after 30 s',
    });
  });

  it.each([
    ['denied: requested access to the resource is denied', false],
    ['unauthorized: incorrect username or password', false],
    ['manifest invalid: manifest invalid', false],
    ['blob unknown: blob unknown to registry', false],
    ['name unknown: repository name not known to registry', false],
    ['write /var/lib/docker/tmp/x: no space left on device', false],
    ['An image does not exist locally with the tag: ghcr.io/acme/app', false],
    ['received unexpected HTTP status: 502 Bad Gateway', true],
    ['received unexpected HTTP status: 500 Internal Server Error', true],
    ['Put "https://r/v2/a/manifests/x": net/http: TLS handshake timeout', true],
    ['Get "https://r/v2/": dial tcp 1.2.3.4:443: i/o timeout', true],
    ['Patch "https://r/v2/a/blobs/uploads/1": write tcp 1:2->3:4: write: broken pipe', true],
    ['Put "https://r/v2/a/manifests/x": EOF', true],
    // Docker 28 on the containerd image store, the manifest PUT's connection reset (captured).
    [
      'failed commit on ref "manifest-sha256:ec123fdaeff5915b9bd8486b854635b56ef2a31f36f883da961d4a3b8db33603": failed to do request: Put "https://127.0.0.1:44321/v2/e2e/fault-reset-mx7mkt6qyxtu/manifests/main": readfrom tcp 127.0.0.1:55016->127.0.0.1:44321: write tcp 127.0.0.1:55016->127.0.0.1:44321: use of closed network connection',
      true,
    ],
    ['something docker never said before', false],
  ])('%s → transient %s', (line, transient) => {
    expect(classifyPushFailure(['The push refers to repository [r/a]', line], 1, undefined)).toEqual({
      transient,
      cause: line,
    });
  });

  it('a permanent cause wins over a transient one, even when the action stopped the push', () => {
    const lines = ['received unexpected HTTP status: 503 Service Unavailable', 'unauthorized: bad token'];
    expect(classifyPushFailure(lines, 1, 30)).toEqual({ transient: false, cause: 'unauthorized: bad token' });
  });

  it('progress lines never count as the cause; no output gives the exit code', () => {
    expect(classifyPushFailure(['a2795b8114a3: Retrying in 5 seconds'], 1, undefined)).toEqual({
      transient: false,
      cause: 'docker push exited with 1',
    });
  });
});
