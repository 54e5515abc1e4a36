import { ApiError } from '../../api/problem';
import { allPlaced, changesOf, createBody, EMPTY_ENDPOINT_FORM, fieldErrors, formOf } from './endpointForm';
import { webhook } from './fixtures';

describe('createBody', () => {
  it('sends the trimmed URL, the ticked types in the list order, and leaves out an empty description', () => {
    expect(
      createBody({
        url: '  https://crm.example.com/h ',
        description: '   ',
        events: { all: false, types: ['user.enrolled', 'purchase.recorded'] },
      }),
    ).toEqual({ url: 'https://crm.example.com/h', events: ['purchase.recorded', 'user.enrolled'] });
  });

  it('sends ["*"] for all events, whatever was ticked before, and a description when there is one', () => {
    expect(
      createBody({
        url: 'https://x.example/h',
        description: ' CRM ',
        events: { all: true, types: ['tier.changed'] },
      }),
    ).toEqual({ url: 'https://x.example/h', events: ['*'], description: 'CRM' });
  });

  it('sends an empty form as it is, for the API to name the missing fields', () => {
    expect(createBody(EMPTY_ENDPOINT_FORM)).toEqual({ url: '', events: [] });
  });
});

describe('changesOf', () => {
  const saved = webhook();

  it('is empty when nothing changed, even with the same types ticked in another order', () => {
    const form = formOf(saved);
    expect(
      changesOf(saved, { ...form, events: { all: false, types: ['points.redeemed', 'purchase.recorded'] } }),
    ).toEqual({});
  });

  it('sends only what changed: a new URL and all events', () => {
    const form = formOf(saved);
    expect(
      changesOf(saved, { ...form, url: 'https://crm2.example.com/h', events: { ...form.events, all: true } }),
    ).toEqual({ url: 'https://crm2.example.com/h', events: ['*'] });
  });

  it('clears a description with an empty one, and sets one where there was none', () => {
    expect(changesOf(saved, { ...formOf(saved), description: '  ' })).toEqual({ description: '' });
    const bare = webhook({ description: null });
    expect(changesOf(bare, { ...formOf(bare), description: 'Data warehouse' })).toEqual({
      description: 'Data warehouse',
    });
  });

  it('reads an endpoint on ["*"] as all events ticked', () => {
    const everything = webhook({ events: ['*'] });
    expect(formOf(everything).events).toEqual({ all: true, types: [] });
    expect(changesOf(everything, formOf(everything))).toEqual({});
  });
});

describe('fieldErrors', () => {
  it('puts a refused event type beside the events group, and several messages of a field together', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Invalid request', [
      { field: 'events[1]', message: 'each event must be * or one of …' },
      { field: 'events', message: 'events must not repeat an event type' },
      { field: 'url', message: 'url must be an absolute http(s) URL' },
    ]);
    expect(fieldErrors(error)).toEqual({
      events: 'each event must be * or one of …; must not repeat an event type',
      url: 'must be an absolute http(s) URL',
    });
    expect(allPlaced(fieldErrors(error))).toBe(true);
  });

  it('puts WEBHOOK_URL_FORBIDDEN beside the URL, with or without errors naming it', () => {
    const because = 'http://10.0.0.5/h points at 10.0.0.5, a private address; use a public https URL';
    const named = new ApiError(422, 'WEBHOOK_URL_FORBIDDEN', because, [{ field: 'url', message: because }]);
    expect(fieldErrors(named)).toEqual({ url: because });
    expect(fieldErrors(new ApiError(422, 'WEBHOOK_URL_FORBIDDEN', because))).toEqual({ url: because });
  });

  it('has nothing to place for an error about no field, or a field the form lacks', () => {
    expect(fieldErrors(new ApiError(503, 'UPSTREAM_UNAVAILABLE', 'down'))).toEqual({});
    expect(allPlaced({})).toBe(false);
    const stray = new ApiError(400, 'VALIDATION_FAILED', 'Invalid request', [
      { field: 'secret', message: 'property secret should not exist' },
    ]);
    expect(allPlaced(fieldErrors(stray))).toBe(false);
  });
});
