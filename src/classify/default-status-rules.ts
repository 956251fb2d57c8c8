/**
 * @module What an HTTP status means when the vendor gave no code.
 */
import type {Rule} from '../core/rule.ts';
import {
  auth,
  conflict,
  notFound,
  permission,
  serverFault,
  serverRetry,
  throttled,
  transient,
  validation,
} from '../core/rule.ts';

/**
 * The status fallbacks every vendor starts from; a vendor's `statuses` override them. Exact
 * statuses win over the `4xx`/`5xx` classes.
 */
export const DEFAULT_STATUS_RULES: Readonly<Record<string, Rule>> = {
  400: {...validation, message: 'Bad Request'},
  401: {...auth, message: 'Unauthorized'},
  403: {...permission, message: 'Forbidden'},
  404: {...notFound, message: 'Not Found'},
  408: {...transient, message: 'Request Timeout', processed: false},
  409: {...conflict, message: 'Conflict'},
  410: {...notFound, message: 'Gone'},
  412: {...conflict, message: 'Precondition Failed'},
  423: {...conflict, message: 'Locked'},
  425: {...transient, message: 'Too Early', processed: false},
  428: {...conflict, message: 'Precondition Required'},
  429: {...throttled, message: 'Too Many Requests'},
  '4xx': {...validation, message: 'Client Error'},
  500: {...serverRetry, message: 'Internal Server Error'},
  501: {...serverFault, message: 'Not Implemented'},
  502: {...transient, message: 'Bad Gateway'},
  503: {...transient, message: 'Service Unavailable'},
  504: {...transient, message: 'Gateway Timeout'},
  '5xx': {...serverRetry, message: 'Server Error'},
};

/** The rule for a status: the vendor's exact, the default exact, the vendor's class, the default class. */
export const statusRule = (
  status: number,
  vendorRules: Readonly<Partial<Record<string, Rule>>> | undefined,
): Rule | undefined => {
  const exact = String(status);
  const range = `${Math.floor(status / 100)}xx`;
  return (
    vendorRules?.[exact] ?? DEFAULT_STATUS_RULES[exact] ?? vendorRules?.[range] ?? DEFAULT_STATUS_RULES[range]
  );
};
