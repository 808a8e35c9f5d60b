// The token signing authority on disk: a root certificate (the trust anchor agents are given) and a
// token-signing ("issuing") certificate it signed, with extKeyUsage TOKEN_SIGNING_OID. Created here, or
// imported from an existing PKI (then the root's key never comes here).
//
// Layout of the directory (config tokenCaDir, default <dataDir>/token-ca/, mode 0700):
//   root.pem        the root certificate: the trust anchor to give agents                  (0644)
//   root.key        its private key; only when the root was created here                   (0600)
//   signer.pem      the token-signing certificate, then any intermediates up to the root   (0644)
//   signer.key      its private key                                                        (0600)
//   authority.json  { deploymentId, signingOid, createdAt, imported }                      (0644)

import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import {
  type Certificate,
  certificateFromPem,
  certificateToPem,
  createRootCa,
  type IssuedCertificate,
  issueCertificate,
  keyMatchesCertificate,
  privateKeyFromPem,
  splitPemCertificates,
} from "./ca.js";
import { checkSigningChain, TOKEN_SIGNING_OID, type TokenSigner } from "./token.js";

const PRIVATE_MODE = 0o600;
const PUBLIC_MODE = 0o644;
export const DEFAULT_SIGNER_VALIDITY_DAYS = 825;
export const DEFAULT_ROOT_VALIDITY_DAYS = 3650;

export interface AuthorityPaths {
  dir: string;
  rootCertPath: string;
  rootKeyPath: string;
  signerCertPath: string;
  signerKeyPath: string;
  metaPath: string;
}

export interface AuthorityMeta {
  deploymentId: string;
  signingOid: string;
  createdAt: string;
  imported: boolean;
}

export interface SigningAuthority {
  paths: AuthorityPaths;
  meta: AuthorityMeta;
  root: Certificate;
  rootPem: string;
  signer: TokenSigner;
}

/** Where the authority lives for a configuration: tokenCaDir, else <dataDir>/token-ca. */
export function tokenCaDir(config: Pick<Config, "dataDir"> & { tokenCaDir?: string | undefined }): string {
  return config.tokenCaDir ?? join(config.dataDir, "token-ca");
}

export function authorityPaths(dir: string): AuthorityPaths {
  return {
    dir,
    rootCertPath: join(dir, "root.pem"),
    rootKeyPath: join(dir, "root.key"),
    signerCertPath: join(dir, "signer.pem"),
    signerKeyPath: join(dir, "signer.key"),
    metaPath: join(dir, "authority.json"),
  };
}

export interface InitAuthorityOptions {
  dir: string;
  /** Default: a random UUID. Tokens carry it; agents of this deployment are configured with it. */
  deploymentId?: string;
  /** Names of created certificates. */
  organizationName?: string;
  rootCommonName?: string;
  signerCommonName?: string;
  rootValidityDays?: number;
  signerValidityDays?: number;
  keySize?: number;
  /** Import instead of creating: the root certificate, the signer (+ intermediates) and the signer's key, PEM. */
  import?: { rootCertPem: string; signerCertPem: string; signerKeyPem: string };
  /** Replace an existing authority (agents that trust the old root will refuse the new tokens). */
  force?: boolean;
  /** Verification time for the import checks (tests); default now. */
  now?: Date;
}

/** Creates (or imports) the authority; refuses to overwrite one unless `force`. */
export function initSigningAuthority(options: InitAuthorityOptions): SigningAuthority {
  const paths = authorityPaths(options.dir);
  if (!options.force && (existsSync(paths.signerCertPath) || existsSync(paths.rootCertPath))) {
    throw new Error(
      `a token signing authority already exists in ${paths.dir}; use --force to replace it (agents trusting its root will then refuse new tokens)`,
    );
  }
  const deploymentId = options.deploymentId ?? randomUUID();
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(deploymentId)) {
    throw new Error("deployment id: 1 to 128 letters, digits, '.', '_', ':' or '-'");
  }
  let rootPem: string;
  let rootKeyPem: string | undefined;
  let signerPem: string;
  let signerKeyPem: string;
  if (options.import) {
    const { rootCertPem, signerCertPem, signerKeyPem: keyPem } = options.import;
    const rootCerts = splitPemCertificates(rootCertPem);
    if (rootCerts.length !== 1) throw new Error("the root file must hold exactly one certificate");
    const chain = splitPemCertificates(signerCertPem).map((pem) => certificateFromPem(pem));
    const root = certificateFromPem(rootCerts[0]!);
    // Drop the root if the signer file ends with it: signer.pem holds what goes into x5c.
    const rootDer = certificateToPem(root);
    const withoutRoot = chain.filter((c) => certificateToPem(c) !== rootDer);
    if (withoutRoot.length === 0) throw new Error("the signer file holds no signing certificate");
    const key = privateKeyFromPem(keyPem);
    if (!keyMatchesCertificate(withoutRoot[0]!, key)) {
      throw new Error("the signer key does not match the signing certificate");
    }
    const problem = checkSigningChain(withoutRoot, {
      trustAnchors: [root],
      ...(options.now ? { now: options.now } : {}),
    });
    if (problem) throw new Error(`cannot import: ${problem.reason}: ${problem.detail}`);
    rootPem = rootCerts[0]!;
    signerPem = withoutRoot.map(certificateToPem).join("");
    signerKeyPem = keyPem.endsWith("\n") ? keyPem : `${keyPem}\n`;
  } else {
    const root = createRootCa({
      commonName: options.rootCommonName ?? `PnP Token Root ${deploymentId.slice(0, 8)}`,
      organizationName: options.organizationName ?? "Open PnP Server",
      validityDays: options.rootValidityDays ?? DEFAULT_ROOT_VALIDITY_DAYS,
      pathLength: 0,
      keySize: options.keySize,
    });
    const signer = createTokenSigningCertificate(root, {
      commonName: options.signerCommonName ?? `PnP Token Signer ${deploymentId.slice(0, 8)}`,
      organizationName: options.organizationName ?? "Open PnP Server",
      validityDays: options.signerValidityDays ?? DEFAULT_SIGNER_VALIDITY_DAYS,
      keySize: options.keySize,
    });
    rootPem = root.certPem;
    rootKeyPem = root.keyPem;
    signerPem = signer.certPem;
    signerKeyPem = signer.keyPem;
  }

  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  if (rootKeyPem) writeFileAtomic(paths.rootKeyPath, rootKeyPem, PRIVATE_MODE);
  else rmSync(paths.rootKeyPath, { force: true });
  writeFileAtomic(paths.signerKeyPath, signerKeyPem, PRIVATE_MODE);
  writeFileAtomic(paths.rootCertPath, rootPem, PUBLIC_MODE);
  writeFileAtomic(paths.signerCertPath, signerPem, PUBLIC_MODE);
  const meta: AuthorityMeta = {
    deploymentId,
    signingOid: TOKEN_SIGNING_OID,
    createdAt: new Date().toISOString(),
    imported: options.import !== undefined,
  };
  writeFileAtomic(paths.metaPath, `${JSON.stringify(meta, null, 2)}\n`, PUBLIC_MODE);
  return loadSigningAuthority(paths.dir);
}

/** Reads the authority from its directory; throws with the path when something is missing or inconsistent. */
export function loadSigningAuthority(dir: string): SigningAuthority {
  const paths = authorityPaths(dir);
  for (const path of [paths.rootCertPath, paths.signerCertPath, paths.signerKeyPath, paths.metaPath]) {
    if (!existsSync(path)) {
      throw new Error(
        `no token signing authority in ${dir} (${path} is missing): run \`pnpctl token ca-init\``,
      );
    }
  }
  const rootPem = readFileSync(paths.rootCertPath, "utf8");
  const root = certificateFromPem(rootPem);
  const chain = splitPemCertificates(readFileSync(paths.signerCertPath, "utf8")).map((pem) =>
    certificateFromPem(pem),
  );
  const key = privateKeyFromPem(readFileSync(paths.signerKeyPath, "utf8"));
  if (!chain[0] || !keyMatchesCertificate(chain[0], key)) {
    throw new Error(`${paths.signerKeyPath} does not belong to ${paths.signerCertPath}`);
  }
  const meta = JSON.parse(readFileSync(paths.metaPath, "utf8")) as AuthorityMeta;
  if (typeof meta.deploymentId !== "string" || meta.deploymentId === "") {
    throw new Error(`${paths.metaPath} names no deploymentId`);
  }
  return {
    paths,
    meta,
    root,
    rootPem,
    signer: { cert: chain[0], key, intermediates: chain.slice(1) },
  };
}

/** A token-signing certificate: end entity, keyUsage digitalSignature, extKeyUsage TOKEN_SIGNING_OID only. */
export function createTokenSigningCertificate(
  issuer: IssuedCertificate,
  options: { commonName: string; organizationName?: string; validityDays?: number; keySize?: number },
): IssuedCertificate {
  return issueCertificate({
    subject: { commonName: options.commonName, organizationName: options.organizationName },
    issuer,
    ca: false,
    keyUsage: ["digitalSignature"],
    extKeyUsage: [TOKEN_SIGNING_OID as `${number}.${number}.${string}`],
    validityDays: options.validityDays ?? DEFAULT_SIGNER_VALIDITY_DAYS,
    keySize: options.keySize,
  });
}

function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
