#!/bin/sh
# Regenerates the oracle data in this folder by running the real Rust `unicase` crate 2.6.0 (the
# version Anki pins), so that our table and both implementations can be tested against it.
# Needs rustc and a checkout of github.com/seanmonstar/unicase at tag v2.6.0 (not vendored here).
#   sh native/unicase/oracle/build-oracle.sh /path/to/unicase-2.6.0
# Writes fold-unicase-2.6.0.txt (every folding, as the crate emits it) and
# cmp-unicase-2.6.0.tsv (HEX_A, HEX_B, crate's UniCase::new(a).cmp(&UniCase::new(b)) after
# String::from_utf8_lossy, i.e. exactly what Anki's collation returns).
set -eu
src=${1:?usage: build-oracle.sh /path/to/unicase-2.6.0}
here=$(cd "$(dirname "$0")" && pwd)
grep -q '^version = "2.6.0"' "$src/Cargo.toml" || { echo "build-oracle: $src is not unicase 2.6.0" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# build.rs of 2.6.0 only sets these cfgs (all true for any modern rustc)
rustc --edition 2015 --crate-type rlib --crate-name unicase -O --cap-lints allow \
  --cfg __unicase__iter_cmp --cfg __unicase__default_hasher --cfg __unicase__const_fns \
  --cfg __unicase__core_and_alloc "$src/src/lib.rs" -o "$work/libunicase.rlib"
rustc --edition 2015 -O -L "$work" "$here/main.rs" -o "$work/oracle"
"$work/oracle" fold > "$here/fold-unicase-2.6.0.txt"
node "$here/make-pairs.mjs" 3000 > "$work/pairs.tsv"
"$work/oracle" cmp < "$work/pairs.tsv" > "$work/results.txt"
paste "$work/pairs.tsv" "$work/results.txt" > "$here/cmp-unicase-2.6.0.tsv"
echo "build-oracle: wrote $here/fold-unicase-2.6.0.txt and $here/cmp-unicase-2.6.0.tsv"
