/**
 * Container image references parsed as the kubelet does before a pull (K pkg/kubelet/images
 * image_manager.go `applyDefaultImageTag` -> pkg/util/parsers `ParseImageName` ->
 * github.com/distribution/reference `ParseNormalizedNamed`). Grammar (reference.go / regexp.go):
 *
 *     reference := name [ ":" tag ] [ "@" digest ]
 *     name      := [ domain "/" ] path-component ( "/" path-component )*    (at most 255 characters)
 *     domain    := host [ ":" port ]       host: DNS labels joined by "." (letters of either case), or "[" IPv6 "]"
 *     path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *     tag       := [\w][\w.-]{0,127}
 *     digest    := algorithm ":" hex (32 or more; sha256: exactly 64)
 *
 * Normalisation (normalize.go splitDockerDomain): the first component is a domain only when it holds
 * a "." or ":", is `localhost`, or has an upper-case letter; otherwise the name is on `docker.io`, and a
 * single component gets `library/` (`nginx` -> `docker.io/library/nginx`). The repository path must be
 * lower case. Pure; no state.
 */

/** One path component of a repository name. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
/** distribution/reference ReferenceRegexp, anchored: name, tag, digest groups. */
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** anchoredIdentifierRegexp: a bare 64-hex image ID. */
const IDENTIFIER = /^[a-f0-9]{64}$/;
/** reference.NameTotalLengthMax. */
const NAME_TOTAL_LENGTH_MAX = 255;

/** splitDockerDomain: the domain and the rest (`library/` added for a single Docker Hub component). */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (i === -1) return { domain: 'docker.io', remainder: `library/${name}` };
  const first = name.slice(0, i);
  if (first === 'localhost' || first.includes('.') || first.includes(':') || first.toLowerCase() !== first) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    remainder = name.slice(i + 1);
  } else {
    domain = 'docker.io';
    remainder = name;
  }
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { domain, remainder };
}

/**
 * Why `image` is not a valid reference (distribution/reference's error text, e.g. `invalid reference
 * format`, `invalid reference format: repository name (library/NGINX) must be lowercase`), or null
 * when it parses. Examples: `nginx`, `nginx:1.27`, `registry.local:5000/team/app:v2`,
 * `gcr.io/x/y@sha256:<64 hex>` parse; `NGINX:Latest`, `nginx::1`, `nginx:`, `-nginx` do not.
 */
export function imageReferenceError(image: string): string | null {
  if (IDENTIFIER.test(image)) return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  const { domain, remainder } = splitDockerDomain(image);
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) return `invalid reference format: repository name (${remote}) must be lowercase`;
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (m === null) {
    if (full === '') return 'repository name must have at least one component';
    if (REFERENCE.test(full.toLowerCase())) return 'repository name must be lowercase';
    return 'invalid reference format';
  }
  if (m[1]!.length > NAME_TOTAL_LENGTH_MAX) return `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
  const digest = m[3];
  if (digest !== undefined) {
    const [algorithm, hex] = digest.split(':') as [string, string];
    if (algorithm !== 'sha256' && algorithm !== 'sha384' && algorithm !== 'sha512') return 'unsupported digest algorithm';
    const want = algorithm === 'sha256' ? 64 : algorithm === 'sha384' ? 96 : 128;
    if (hex.length !== want) return 'invalid checksum digest length';
    if (!/^[a-f0-9]+$/.test(hex)) return 'invalid checksum digest format';
  }
  return null;
}

/**
 * The waiting message of a container whose image does not parse (image_manager.go EnsureImageExists:
 * `Failed to apply default image tag "X": couldn't parse image name "X": <error>`), or null.
 */
export function invalidImageMessage(image: string): string | null {
  const err = imageReferenceError(image);
  return err === null ? null : `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: ${err}`;
}
