import { jest } from '@jest/globals';
import { withHeartbeat } from '../../src/execute/heartbeat.js';

describe('withHeartbeat', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('says "still running" for each quiet interval, nothing while lines arrive, nothing after the end', async () => {
    const said: string[] = [];
    let finish: (value: string) => void = () => undefined;
    let line: (text: string) => void = () => undefined;
    const running = withHeartbeat(
      'Push app:main',
      (message) => said.push(message),
      (heard) => {
        line = heard;
        return new Promise<string>((resolve) => {
          finish = resolve;
        });
      },
    );
    jest.advanceTimersByTime(30_000);
    expect(said).toEqual(['Push app:main: still running (30 s)']);
    line('layer 1 pushed');
    jest.advanceTimersByTime(30_000);
    expect(said).toHaveLength(1);
    jest.advanceTimersByTime(60_000);
    expect(said).toEqual([
      'Push app:main: still running (30 s)',
      'Push app:main: still running (1 min 30 s)',
      'Push app:main: still running (2 min 00 s)',
    ]);
    finish('done');
    await expect(running).resolves.toBe('done');
    jest.advanceTimersByTime(120_000);
    expect(said).toHaveLength(3);
  });

  it('stops when the body throws, and passes the error on', async () => {
    const said: string[] = [];
    await expect(
      withHeartbeat(
        'Build',
        (m) => said.push(m),
        () => Promise.reject(new Error('boom')),
      ),
    ).rejects.toThrow('boom');
    jest.advanceTimersByTime(90_000);
    expect(said).toEqual([]);
  });
});
