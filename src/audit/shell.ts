/**
 * Splits the shell code of a RUN into simple commands, each a list of words with quotes removed.
 * Commands end at `&&`, `||`, `;`, `|`, `&`, parentheses and new lines; `#` starts a comment.
 * The script of `sh -c '...'` (bash, dash, ...) is split in its place. This is enough to find
 * package installs; it is not a full shell parser.
 */
export function shellCommands(code: string): string[][] {
  const json = execForm(code);
  return (json === undefined ? splitCommands(code) : [json]).flatMap((words) => {
    const script = shellScript(words);
    return script === undefined ? [words] : shellCommands(script);
  });
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** The script of `sh -c SCRIPT` (also `bash -lc`, `sh -ec`); undefined for any other command. */
function shellScript(words: string[]): string | undefined {
  const command = programAndArgs(words);
  if (command === undefined || !SHELLS.has(command.program)) return undefined;
  let readsScript = false;
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i] ?? '';
    if (arg === '-o' || arg === '+o') i++;
    else if (/^[-+]/.test(arg)) readsScript ||= /^-[a-z]*c[a-z]*$/.test(arg);
    else return readsScript ? arg : undefined;
  }
  return undefined;
}

function splitCommands(code: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < code.length; i++) {
    const c = code.charAt(i);
    if (c === "'" || c === '"') {
      const close = findClosingQuote(code, i);
      const body = code.slice(i + 1, close);
      word = (word ?? '') + (c === '"' ? body.replace(/\\(["\\$`])/g, '$1') : body);
      i = close;
    } else if (c === '\\') {
      i++;
      if (code.charAt(i) !== '\n') word = (word ?? '') + code.charAt(i);
    } else if (c === '#' && word === undefined) {
      while (i + 1 < code.length && code.charAt(i + 1) !== '\n') i++;
    } else if ('&|;()\n'.includes(c)) {
      endCommand();
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
    } else {
      word = (word ?? '') + c;
    }
  }
  endCommand();
  return commands;
}

function findClosingQuote(code: string, open: number): number {
  const quote = code.charAt(open);
  for (let i = open + 1; i < code.length; i++) {
    if (quote === '"' && code.charAt(i) === '\\') i++;
    else if (code.charAt(i) === quote) return i;
  }
  return code.length;
}

/** `RUN ["pip", "install", "x"]`: the exec form is one command, already split. */
function execForm(code: string): string[] | undefined {
  if (!code.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(code);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The program and its arguments, after `sudo` and leading `NAME=value` assignments; program without its path. */
export function programAndArgs(words: string[]): { program: string; args: string[] } | undefined {
  let start = 0;
  while (
    start < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start] ?? '') || words[start] === 'sudo')
  )
    start++;
  const first = words[start];
  if (first === undefined) return undefined;
  return { program: first.slice(first.lastIndexOf('/') + 1), args: words.slice(start + 1) };
}
