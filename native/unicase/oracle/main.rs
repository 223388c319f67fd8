// Test oracle: links the real `unicase` crate (the version Anki pins) and prints what it does,
// so our C and TypeScript implementations can be checked against it. Not part of the build;
// see build-oracle.sh. Our own code; the crate itself is never copied into this repository.
//
//   oracle fold        every scalar value whose folded form differs from itself, one per line:
//                      "CP: F1 F2 F3" (hex), in the order the crate's comparison sees them
//   oracle cmp         stdin lines "HEX_A<TAB>HEX_B" (UTF-8 bytes in hex, may be invalid UTF-8);
//                      prints -1/0/1 per line for UniCase::new(a).cmp(&UniCase::new(b)) after
//                      String::from_utf8_lossy (what rusqlite does before calling Anki's collation)
extern crate unicase;

use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufWriter, Write};
use unicase::UniCase;

/// A Hasher that just records the bytes it is fed: UniCase<Unicode> hashes the UTF-8 of every
/// folded character, so this reveals the exact folded sequence.
struct Recorder(Vec<u8>);

impl Hasher for Recorder {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if mode == "fold" {
        for cp in 0u32..=0x10FFFF {
            let c = match std::char::from_u32(cp) {
                Some(c) => c,
                None => continue,
            };
            let s = c.to_string();
            let mut rec = Recorder(Vec::new());
            UniCase::unicode(s.as_str()).hash(&mut rec);
            let folded = String::from_utf8(rec.0).expect("utf8");
            if folded != s {
                let parts: Vec<String> = folded.chars().map(|f| format!("{:04X}", f as u32)).collect();
                writeln!(out, "{:04X}: {}", cp, parts.join(" ")).unwrap();
            }
        }
    } else if mode == "cmp" {
        let stdin = io::stdin();
        for line in stdin.lock().lines() {
            let line = line.unwrap();
            let mut it = line.splitn(2, '\t');
            let a = unhex(it.next().unwrap_or(""));
            let b = unhex(it.next().unwrap_or(""));
            let a = String::from_utf8_lossy(&a);
            let b = String::from_utf8_lossy(&b);
            let r = UniCase::new(a.as_ref()).cmp(&UniCase::new(b.as_ref()));
            writeln!(out, "{}", r as i8).unwrap();
        }
    } else {
        eprintln!("usage: oracle fold | oracle cmp < pairs");
        std::process::exit(2);
    }
}
