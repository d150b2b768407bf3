#!/usr/bin/env bash
# A self-signed RSA certificate with its private key, as a PKCS#12 file: what Identity and the Portal load to encrypt
# the shared Data Protection key ring at rest (DataProtection__Certificate__Path), and what Identity signs and
# encrypts tokens with (Identity__CertificatesDirectory: signing-*.pfx, encryption-*.pfx). Rollover: make the next one
# while the current one is still valid for a while (docs/operations.md, "Keys and certificates").
#
#   infra/certificate.sh OUT.pfx PASSWORD [DAYS] [SUBJECT]
#
# Valid from now for DAYS (default 825). Needs openssl (Debian: openssl).
set -euo pipefail
out=${1:?usage: certificate.sh OUT.pfx PASSWORD [DAYS] [SUBJECT]}
password=${2:?the PKCS#12 password}
days=${3:-825}
subject=${4:-/CN=coordination}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/certificate.pem" -days "$days" -subj "$subject" \
  -addext keyUsage=digitalSignature,keyEncipherment 2>/dev/null
mkdir -p "$(dirname "$out")"
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/certificate.pem" -passout "pass:$password" -out "$out"
echo "$out: $(openssl x509 -in "$work/certificate.pem" -noout -subject -enddate)"
