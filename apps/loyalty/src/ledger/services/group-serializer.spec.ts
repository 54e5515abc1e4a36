import { GroupSerializer } from './group-serializer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupSerializer (pure)', () => {
  it("runs one group's work one at a time, in arrival order, and other groups' alongside", async () => {
    const serializer = new GroupSerializer();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      serializer.run('g1', job('a')),
      serializer.run('g1', job('b')),
      serializer.run('g2', job('x')),
    ]);
    expect(results).toEqual(['a', 'b', 'x']);
    expect(log.indexOf('a end')).toBeLessThan(log.indexOf('b start'));
    expect(log.indexOf('x start')).toBeLessThan(log.indexOf('a end'));
  });

  it('a failed job fails its own caller only; the queue goes on', async () => {
    const serializer = new GroupSerializer();
    const failed = serializer.run('g', () => Promise.reject(new Error('boom')));
    const next = serializer.run('g', () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
