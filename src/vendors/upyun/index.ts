/**
 * @module ky-vendors/upyun: the UPYUN definition, request signing and the upload operations.
 */

export type {UpyunCodeTable} from './codes.ts';
export {md5Hex} from './md5.ts';
export {objectPath} from './object-path.ts';
export {ResumableUploadError} from './ResumableUploadError.ts';
export type {ResumeToken} from './resume-token.ts';
export {isResumeToken} from './resume-token.ts';
export type {UploadBody, UploadFile, UploadOptions, UploadResult} from './upload.ts';
export {upload} from './upload.ts';
export type {
  UploadFailure,
  UploadFileResult,
  UploadManyOptions,
  UploadManyProgress,
  UploadManyResult,
  UploadSuccess,
} from './upload-many.ts';
export {stopsBatch, uploadMany} from './upload-many.ts';
export type {
  ResumableProgress,
  ResumableUploadOptions,
  ResumableUploadResult,
  ResumeUploadOptions,
} from './upload-resumable.ts';
export {resumeUpload, uploadResumable} from './upload-resumable.ts';
export {upyun} from './upyun.ts';
export type {UpyunAuthOptions} from './upyun-auth.ts';
export {upyunAuth} from './upyun-auth.ts';
export type {StoredCheck} from './verify-stored.ts';
export {verifyStored} from './verify-stored.ts';
