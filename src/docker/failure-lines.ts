// The line of a failed docker command that says why.
const ERROR_LINE =
  /(^ERROR\b|^error\b|^Error\b|Error response from daemon|unauthorized|denied|not found|no such|failed to|cannot|returned a non-zero code|did not complete successfully)/i;

/** The last line of a command's output that says what went wrong, without docker's noise. */
export function meaningfulLine(lines: readonly string[]): string | undefined {
  const cleaned = lines.map((line) => line.trim()).filter((line) => line !== '');
  const match = [...cleaned].reverse().find((line) => ERROR_LINE.test(line));
  return match ?? cleaned[cleaned.length - 1];
}

/** The program `docker run` could not start: `exec: "/bin/sh": stat /bin/sh: no such file or directory`. */
export function missingExecutable(lines: readonly string[]): string | undefined {
  for (const line of [...lines].reverse()) {
    const match =
      /exec: "([^"]+)": (?:stat \S+: )?(?:no such file or directory|executable file not found)/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}
