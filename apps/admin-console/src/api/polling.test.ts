import { act, renderHook } from '@testing-library/react';
import { useResource } from './context';
import { startPolling } from './polling';

let visibility: DocumentVisibilityState = 'visible';

/** As the browser does when the tab goes to the background or comes back. */
function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A request that answers when the test says so, counting how many are on their way at once. */
function requests() {
  const pending: Array<{ resolve: (value: number) => void; reject: (err: Error) => void }> = [];
  const stats = { sent: 0, inFlight: 0, mostAtOnce: 0 };
  const send = () => {
    stats.sent++;
    stats.inFlight++;
    stats.mostAtOnce = Math.max(stats.mostAtOnce, stats.inFlight);
    return new Promise<number>((resolve, reject) => pending.push({ resolve, reject })).finally(() => {
      stats.inFlight--;
    });
  };
  const answer = async (value = stats.sent) => {
    pending.shift()!.resolve(value);
    await vi.advanceTimersByTimeAsync(0);
  };
  const fail = async () => {
    pending.shift()!.reject(new Error('502'));
    await vi.advanceTimersByTimeAsync(0);
  };
  return { send, answer, fail, stats };
}

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  vi.useRealTimers();
  Reflect.deleteProperty(document, 'visibilityState'); // back to jsdom's own getter
});

describe('startPolling', () => {
  it('waits for the previous answer: a slow one delays the next request, never overlaps it', async () => {
    const api = requests();
    const stop = startPolling(api.send, 5000);
    await vi.advanceTimersByTimeAsync(4999);
    expect(api.stats.sent).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.stats.sent).toBe(1);

    await vi.advanceTimersByTimeAsync(60_000); // the answer takes a minute: nothing else is sent
    expect(api.stats.sent).toBe(1);
    await api.answer();
    await vi.advanceTimersByTimeAsync(4999); // the next one is 5 s after the answer
    expect(api.stats.sent).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.stats.sent).toBe(2);
    await api.answer();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.stats).toMatchObject({ sent: 3, mostAtOnce: 1 });
    stop();
  });

  it('keeps polling after a failed request (the next one is the retry)', async () => {
    const api = requests();
    const stop = startPolling(api.send, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    await api.fail();
    await vi.advanceTimersByTimeAsync(1000);
    expect(api.stats.sent).toBe(2);
    stop();
  });

  it('sends nothing while the tab is hidden', async () => {
    const api = requests();
    const stop = startPolling(api.send, 5000);
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(api.stats.sent).toBe(0);
    stop();
  });

  it('lets a request on its way finish when the tab is hidden, and sends no next one', async () => {
    const api = requests();
    const stop = startPolling(api.send, 5000);
    await vi.advanceTimersByTimeAsync(5000);
    setVisibility('hidden');
    await api.answer();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(api.stats.sent).toBe(1);
    stop();
  });

  it('polls at once when the tab is visible again, then every interval', async () => {
    const api = requests();
    const stop = startPolling(api.send, 5000);
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(60_000);
    setVisibility('visible');
    expect(api.stats.sent).toBe(1);
    await api.answer();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.stats.sent).toBe(2);
    stop();
  });

  it('does not start a second chain when the tab comes back while a request is on its way', async () => {
    const api = requests();
    const stop = startPolling(api.send, 5000);
    await vi.advanceTimersByTimeAsync(5000);
    setVisibility('hidden');
    setVisibility('visible');
    expect(api.stats.sent).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.stats.sent).toBe(1);
    await api.answer();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.stats).toMatchObject({ sent: 2, mostAtOnce: 1 });
    stop();
  });

  it('sends nothing after stop(), not even when the last answer comes later or the tab comes back', async () => {
    const api = requests();
    const stop = startPolling(api.send, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    await api.answer();
    setVisibility('hidden');
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.stats.sent).toBe(1);
  });
});

describe('useResource with everyMs', () => {
  it('sends no poll while the first load is still on its way, and polls after it', async () => {
    const api = requests();
    const { result, unmount } = renderHook(() => useResource(api.send, 'stats', 5000));
    expect(api.stats.sent).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(api.stats.sent).toBe(1);
    await act(() => api.answer(7));
    expect(result.current).toMatchObject({ data: 7, loading: false });
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(api.stats.sent).toBe(2);
    await act(() => api.answer(8));
    expect(result.current.data).toBe(8);
    expect(api.stats.mostAtOnce).toBe(1);
    unmount();
  });

  it('keeps the last figures when a poll fails, with the error beside them', async () => {
    const api = requests();
    const { result, unmount } = renderHook(() => useResource(api.send, 'stats', 5000));
    await act(() => api.answer(7));
    await act(() => vi.advanceTimersByTimeAsync(5000));
    await act(() => api.fail());
    expect(result.current).toMatchObject({ data: 7, loading: false, error: new Error('502') });
    unmount();
  });

  it('pauses while the tab is hidden and catches up when it is back', async () => {
    const api = requests();
    const { result, unmount } = renderHook(() => useResource(api.send, 'stats', 5000));
    await act(() => api.answer(1));
    act(() => setVisibility('hidden'));
    await act(() => vi.advanceTimersByTimeAsync(10 * 60_000));
    expect(api.stats.sent).toBe(1);
    act(() => setVisibility('visible'));
    expect(api.stats.sent).toBe(2);
    await act(() => api.answer(2));
    expect(result.current.data).toBe(2);
    unmount();
  });

  it('stops polling when unmounted', async () => {
    const api = requests();
    const { unmount } = renderHook(() => useResource(api.send, 'stats', 5000));
    await act(() => api.answer());
    unmount();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.stats.sent).toBe(1);
  });
});
