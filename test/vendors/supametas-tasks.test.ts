import ky from 'ky';
import {http, passthrough} from 'msw';
import {describe, expect, test} from 'vitest';
import {codeDocs} from '../../scripts/code-docs.ts';
import {ValidationError, withVendor} from '../../src/index.ts';
import {supametasHandlers} from '../../src/testing/msw.ts';
import {
  createSupametasSimulator,
  SUPAMETAS_BASE_URL,
  type SupametasSimulatorOptions,
  startSupametasServer,
} from '../../src/testing/supametas/index.ts';
import {
  createFileTask,
  createImageTask,
  type FileTaskInput,
  type ImageTaskInput,
  SupametasInputError,
  supametas,
  supametasAuth,
} from '../../src/vendors/supametas/index.ts';
import {server} from '../helpers/server.ts';

const ACCESS_KEY = 'sk-supametas-test-key-0002';

const client = (prefix = SUPAMETAS_BASE_URL) =>
  ky.create({prefix, ...withVendor(supametas, {auth: supametasAuth({accessKey: ACCESS_KEY})})});

const simulate = (options: SupametasSimulatorOptions = {}) => {
  const sim = createSupametasSimulator({accessKey: ACCESS_KEY, ...options});
  server.use(...supametasHandlers(sim));
  return sim;
};

/** Records the multipart bodies the helpers send, then lets the simulator answer. */
const recordForms = () => {
  const forms: {endpoint: string; fileName: string; data: unknown}[] = [];
  server.use(
    http.post(`${SUPAMETAS_BASE_URL}/:endpoint`, async ({request, params}) => {
      const form = await request.clone().formData();
      const file = form.get('file');
      forms.push({
        endpoint: String(params.endpoint),
        fileName: file instanceof File ? file.name : '',
        data: JSON.parse(String(form.get('data'))),
      });
      return undefined;
    }),
  );
  return forms;
};

const pdf = () => new File(['%PDF-1.4 demo'], 'report.pdf', {type: 'application/pdf'});
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'receipt.png', {type: 'image/png'});

describe('createFileTask', () => {
  test('sends the documented fields and returns the task', async () => {
    const sim = simulate();
    const forms = recordForms();
    const created = await createFileTask(client(), {
      file: pdf(),
      format: 'markdown',
      title: true,
      contentDetails: false,
      customKeys: [{key: 'total', desc: 'amount due'}, {key: 'date'}],
    });
    expect(created).toEqual({num: 1, taskId: expect.stringMatching(/^\d{19}$/)});
    expect(sim.stateOf(created.taskId)).toBe('PENGDING');
    expect(forms).toEqual([
      {
        endpoint: 'file-task',
        fileName: 'report.pdf',
        data: {
          getDemandFormat: '2',
          title: 1,
          contentDetails: 0,
          customKeys: [
            {key: 'total', desc: 'amount due'},
            {key: 'date', desc: ''},
          ],
        },
      },
    ]);
  });

  test('a Blob with a fileName works over a loopback server', async () => {
    const sim = createSupametasSimulator({accessKey: ACCESS_KEY});
    const {url, close} = await startSupametasServer(sim);
    server.use(http.all(`${url}/*`, () => passthrough()));
    try {
      const api = client(`${url}/openapi/open/v1`);
      const input = {
        file: new Blob(['# notes']),
        fileName: 'notes.md',
        format: 'json',
        title: false,
        contentDetails: true,
      } as const;
      await expect(createFileTask(api, input)).resolves.toMatchObject({num: 1});
      expect(sim.counters.byEndpoint['file-task']).toBe(1);
    } finally {
      await close();
    }
  });

  const valid: FileTaskInput = {file: pdf(), format: 'json', title: true, contentDetails: true};
  test.each([
    ['a missing file', {...valid, file: undefined}, 'file'],
    ['a string for a file', {...valid, file: 'report.pdf'}, 'file'],
    ['an unsupported file type', {...valid, file: new File(['x'], 'photo.png')}, 'file'],
    ['a Blob without a name', {...valid, file: new Blob(['x'])}, 'file'],
    ['an unknown format', {...valid, format: 'xml'}, 'data.getDemandFormat'],
    ['the format as the wire code', {...valid, format: '1'}, 'data.getDemandFormat'],
    ['no title flag', {...valid, title: undefined}, 'data.title'],
    ['a numeric contentDetails flag', {...valid, contentDetails: 1}, 'data.contentDetails'],
    ['custom keys that are not a list', {...valid, customKeys: 'total'}, 'data.customKeys'],
    ['a custom key without a key', {...valid, customKeys: [{desc: 'x'}]}, 'data.customKeys.0.key'],
    ['an empty custom key', {...valid, customKeys: [{key: ' '}]}, 'data.customKeys.0.key'],
    ['no input at all', undefined, 'input'],
  ])('%s is a SupametasInputError naming %s, and nothing is sent', async (_name, input, field) => {
    const sim = simulate();
    const error = await createFileTask(client(), input as unknown as FileTaskInput).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SupametasInputError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as SupametasInputError).issues.map((issue) => issue.field)).toContain(field);
    expect((error as Error).message).toContain(field);
    expect(sim.counters.requests).toBe(0);
  });
});

describe('createImageTask', () => {
  test('sends the documented fields to image-task and returns the task', async () => {
    const sim = simulate();
    const forms = recordForms();
    const created = await createImageTask(client(), {file: png(), format: 'json', imageText: true});
    expect(created).toMatchObject({num: 1});
    expect(sim.counters.byEndpoint['image-task']).toBe(1);
    expect(forms).toEqual([
      {endpoint: 'image-task', fileName: 'receipt.png', data: {getDemandFormat: '1', getImageText: 1}},
    ]);
  });

  test('getImageText is left out when not given', async () => {
    simulate();
    const forms = recordForms();
    await createImageTask(client(), {file: png(), format: 'markdown'});
    expect(forms[0]?.data).toEqual({getDemandFormat: '2'});
  });

  const valid: ImageTaskInput = {file: png(), format: 'json'};
  test.each([
    ['a PDF', {...valid, file: pdf()}, 'file'],
    ['a string imageText', {...valid, imageText: 'yes'}, 'data.getImageText'],
    ['an unknown format', {...valid, format: 'html'}, 'data.getDemandFormat'],
  ])('%s is a SupametasInputError naming %s', async (_name, input, field) => {
    const sim = simulate();
    const error = await createImageTask(client(), input as unknown as ImageTaskInput).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SupametasInputError);
    expect((error as SupametasInputError).issues.map((issue) => issue.field)).toContain(field);
    expect(sim.counters.requests).toBe(0);
  });
});

describe('Supametas messages and assumptions', () => {
  test('a Chinese vendor message gets the English meaning beside it', async () => {
    simulate();
    const form = new FormData();
    form.set('file', png(), 'receipt.png');
    form.set('data', JSON.stringify({getDemandFormat: '3'}));
    const error = await client()
      .post('image-task', {body: form})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({code: 'OPS40001', status: 200});
    expect((error as ValidationError).message).toContain(
      '[getDemandFormat] 不合法 (getDemandFormat is invalid',
    );
  });

  test('the generated Supametas page marks every undocumented behaviour as assumed', () => {
    const page = codeDocs().find(({file}) => file === 'docs/vendors/supametas.md')?.text ?? '';
    const intro = page.split('\n').find((line) => line.startsWith('Supametas wraps')) ?? '';
    expect(intro).toContain('**assumed**');
    for (const behaviour of ['HTTP 200', '`OPS4xxxx`', '{code: "401" | "404", message}', 'waitForTask()']) {
      expect(intro).toContain(behaviour);
    }
    for (const status of ['401', '404', '429']) {
      const row = page.split('\n').find((line) => line.startsWith(`| ${status} |`)) ?? '';
      expect(row).toMatch(/assumed/i);
    }
  });
});
