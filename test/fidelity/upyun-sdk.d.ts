// The parts of the official `upyun` node SDK (3.4.6, no types shipped) the fidelity tests call.
declare module 'upyun' {
  class Service {
    constructor(serviceName: string, operatorName?: string, password?: string);
    readonly serviceName: string;
    readonly operatorName: string;
    /** The MD5 hex of the password. */
    readonly password: string;
  }
  type HeaderSign = (
    service: Service,
    method: string,
    path: string,
    contentMd5?: string | null,
  ) => Record<string, string> | Promise<Record<string, string>>;
  type RequestConfig = {
    method: string;
    url: string;
    baseURL: string;
    headers: Record<string, unknown> & {common?: Record<string, string>};
  };
  type ListItem = {name: string; type: string; size: number; time: number};
  class Client {
    constructor(service: Service, params?: {domain?: string; protocol?: string}, getHeaderSign?: HeaderSign);
    readonly req: {
      readonly interceptors: {
        readonly request: {
          readonly handlers: {fulfilled: (config: RequestConfig) => Promise<RequestConfig>}[];
        };
      };
    };
    usage(dir?: string): Promise<number>;
    listDir(
      dir?: string,
      options?: {limit?: number; order?: 'asc' | 'desc'; iter?: string},
    ): Promise<false | {files: ListItem[]; next: string}>;
    putFile(path: string, body: string | Uint8Array, options?: Record<string, string>): Promise<unknown>;
    getFile(path: string): Promise<unknown>;
    headFile(path: string): Promise<false | Record<string, string | number>>;
    deleteFile(path: string): Promise<boolean>;
    makeDir(path: string): Promise<boolean>;
    copy(target: string, source: string, options?: Record<string, string>): Promise<boolean>;
    move(target: string, source: string, options?: Record<string, string>): Promise<boolean>;
    updateMetadata(path: string, metas: Record<string, string>, operate?: string): Promise<boolean>;
    getMetadata(path: string): Promise<false | Record<string, string>>;
    initMultipartUpload(
      path: string,
      file: Uint8Array,
      options?: Record<string, string>,
    ): Promise<false | {fileSize: number; partCount: number; uuid: string}>;
    multipartUpload(path: string, file: Uint8Array, uuid: string, partId: number): Promise<boolean>;
    completeMultipartUpload(path: string, uuid: string): Promise<boolean>;
  }
  const upyun: {
    Client: typeof Client;
    Service: typeof Service;
    sign: {
      genSign(
        service: Service,
        options: {method: string; path: string; date?: string; contentMd5?: string | null | undefined},
      ): string;
    };
  };
  export default upyun;
}
