import { labelledDockerfile } from '../../src/plan/classic-labels.js';

const LABELS = { 'org.opencontainers.image.revision': 'abc123', 'org.opencontainers.image.title': 'app' };
const ONE_LABEL = 'LABEL "org.opencontainers.image.revision"="abc123" "org.opencontainers.image.title"="app"';

describe('labelledDockerfile', () => {
  it('appends one LABEL with every label to a single-stage Dockerfile', () => {
    expect(labelledDockerfile('FROM base:1\nRUN make\n', LABELS, undefined)).toBe(
      `FROM base:1\nRUN make\n${ONE_LABEL}\n`,
    );
  });

  it('adds the missing final newline first', () => {
    expect(labelledDockerfile('FROM base:1\nRUN make', LABELS, undefined)).toBe(
      `FROM base:1\nRUN make\n${ONE_LABEL}\n`,
    );
  });

  it('puts it at the end of the target stage, before the next FROM', () => {
    const text =
      'FROM base:1 AS Build\nRUN make \\\n  all\n\nFROM base:1 AS final\nCOPY --from=build /out /\n';
    expect(labelledDockerfile(text, LABELS, 'build')).toBe(
      `FROM base:1 AS Build\nRUN make \\\n  all\n\n${ONE_LABEL}\nFROM base:1 AS final\nCOPY --from=build /out /\n`,
    );
  });

  it('appends when the target is the last stage or unknown', () => {
    const text = 'FROM base:1 AS build\nRUN make\nFROM base:1 AS final\n';
    expect(labelledDockerfile(text, LABELS, 'final')).toBe(`${text}${ONE_LABEL}\n`);
    expect(labelledDockerfile(text, LABELS, 'nope')).toBe(`${text}${ONE_LABEL}\n`);
  });

  it('quotes values so that quotes, backslashes and $ stay literal', () => {
    expect(labelledDockerfile('FROM base:1\n', { k: 'say "hi" \\ $HOME\nnext' }, undefined)).toBe(
      'FROM base:1\nLABEL "k"="say \\"hi\\" \\\\ \\$HOME next"\n',
    );
  });

  it('escapes with the escape character the Dockerfile declares', () => {
    const text = '# escape=`\nFROM base:1\n';
    expect(labelledDockerfile(text, { k: 'C:\\dir "x" `y` $v' }, undefined)).toBe(
      `${text}LABEL "k"="C:\\dir \`"x\`" \`\`y\`\` \`$v"\n`,
    );
  });

  it('leaves the Dockerfile alone without labels', () => {
    expect(labelledDockerfile('FROM base:1\n', {}, undefined)).toBe('FROM base:1\n');
  });
});
