// Which `docker push` failures are worth another attempt, read from what docker prints.

export interface PushFailure {
  /** A retry can succeed: the registry or the network had a passing problem. */
  transient: boolean;
  /** The line that explains it, or what happened when docker printed none. */
  cause: string;
}

/**
 * Checked first: no retry can fix these. 401/403 and missing credentials (docker prints
 * "unauthorized", "denied", "no basic auth credentials"), a manifest or blob the registry rejects,
 * a repository it does not know, a full disk, and an image that is not there to push.
 */
const PERMANENT = [
  /\bunauthorized\b/i,
  /\bdenied\b/i,
  /no basic auth credentials/i,
  /authentication required/i,
  /\b(401 Unauthorized|403 Forbidden)\b/i,
  /manifest (invalid|unknown|blob unknown)/i,
  /blob unknown/i,
  /name (unknown|invalid)/i,
  /no space left on device/i,
  /An image does not exist locally/i,
  /tag does not exist/i,
];

/** Registry overload and network trouble (what dockerd prints for 5xx, 429, resets, timeouts). */
const TRANSIENT = [
  /unexpected HTTP status: 5\d\d/i,
  /\b(500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b/i,
  /toomanyrequests|too many requests/i,
  /connection (refused|reset by peer)/i,
  // containerd's pusher (the containerd image store) on a connection the registry dropped mid-request.
  /use of closed network connection/i,
  /broken pipe/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /timeout awaiting response headers/i,
  /unexpected EOF|: EOF$/i,
  /net\/http: request canceled/i,
];

/** Docker's progress lines, which never explain a failure. */
const PROGRESS =
  /^(The push refers to repository|[0-9a-f]{12}: (Preparing|Waiting|Pushed|Pushing|Layer already exists|Retrying))/;

/** Classifies a failed push from its last output lines; a timeout the action imposed is transient. */
export function classifyPushFailure(
  lines: readonly string[],
  exitCode: number,
  timedOutAfter: number | undefined,
): PushFailure {
  const messages = lines.map((line) => line.trim()).filter((line) => line !== '' && !PROGRESS.test(line));
  const latestFirst = [...messages].reverse();
  const permanent = latestFirst.find((line) => PERMANENT.some((pattern) => pattern.test(line)));
  if (permanent !== undefined) return { transient: false, cause: permanent };
  if (timedOutAfter !== undefined) {
    return { transient: true, cause: `no progress: the push was stopped after ${timedOutAfter} s` };
  }
  const transient = latestFirst.find((line) => TRANSIENT.some((pattern) => pattern.test(line)));
  if (transient !== undefined) return { transient: true, cause: transient };
  return { transient: false, cause: messages.at(-1) ?? `docker push exited with ${exitCode}` };
}
