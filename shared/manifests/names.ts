/**
 * Kubernetes object-name rules, with the API server's own error wording.
 * Source: k8s.io/apimachinery/pkg/util/validation/validation.go (`IsDNS1123Subdomain`,
 * `IsDNS1123Label`, `IsDNS1035Label`, `IsQualifiedName`) and pkg/apis/core/validation (`ValidateServiceName`
 * uses DNS-1035 labels; Deployments use DNS-1123 subdomains; container names are DNS-1123 labels).
 *
 * Each function returns an error message, or null when the name is valid. Pure: imports nothing.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Deployment (and most object) names: lowercase RFC 1123 subdomain, at most 253 characters. */
export function dns1123SubdomainError(name: string): string | null {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com'), got ${JSON.stringify(name)}`;
  }
  return null;
}

/** Container and port names: lowercase RFC 1123 label, at most 63 characters. */
export function dns1123LabelError(name: string): string | null {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name)) {
    return `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name'), got ${JSON.stringify(name)}`;
  }
  return null;
}

/** Service names: RFC 1035 label (must start with a letter), at most 63 characters. */
export function dns1035LabelError(name: string): string | null {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(name)) {
    return `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name'), got ${JSON.stringify(name)}`;
  }
  return null;
}
