//! Embeds the shipped catalog (`controls/*.toml`) into the binary as a sorted list of
//! `(name, text, snapshot)`, and rebuilds when a file there is added, removed or
//! changed. The snapshot is the file's TOML tree parsed here, once, so that loading the
//! embedded catalog does not parse TOML at all (see `src/catalog/snapshot`); it is
//! empty for a file that has none, which is then parsed at run time as before.

#![allow(clippy::disallowed_macros, reason = "a build script talks to cargo through stdout")]

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

#[path = "src/catalog/snapshot/encode.rs"]
pub mod encode;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("controls");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=src/catalog/snapshot/encode.rs");
    let out_dir = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_path_buf();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| Path::new(n).extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// The shipped catalog files, sorted by name, with their snapshots.\npub(crate) static FILES: &[(&str, &str, &[u8])] = &[\n",
    );
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let snapshot = match fs::read_to_string(&path).ok().and_then(|text| encode::encode(&text)) {
            Some(bytes) => {
                let file = out_dir.join(format!("{name}.snapshot"));
                fs::write(&file, bytes).expect("OUT_DIR is writable");
                format!("include_bytes!({:?})", file.display().to_string())
            }
            None => "&[]".to_owned(),
        };
        writeln!(
            out,
            "    (\"controls/{name}\", include_str!({:?}), {snapshot}),",
            path.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    out.push_str("];\n");
    let dest = out_dir.join("embedded.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
