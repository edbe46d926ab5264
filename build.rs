//! Embeds the shipped catalog (every `.toml` file under `controls/`, subfolders
//! included) into the binary: the text of each file, for diagnostics and for loading
//! it beneath `--controls` layers, and the catalog already validated, as postcard
//! bytes, so that a run without layers decodes it instead of parsing TOML.
//!
//! The validation is the crate's own loader (`catalog::load_layers`), compiled here
//! from the crate's source files: the modules below are the ones it uses, declared at
//! this crate's root so that their `crate::` paths resolve as in the library. A catalog
//! with errors fails the build with the diagnostics `ctrlmap check` would print.
//!
//! The library is built with `cfg(ctrlmap_embedded)`, which makes `catalog` include
//! what this script writes; compiled here, without it, `catalog` embeds nothing.

#![allow(clippy::disallowed_macros, reason = "a build script talks to cargo through stdout")]

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

// What `catalog::load_layers` uses, and nothing else. Most of each module is unused
// here, and lints the library expects (on its public API) may not fire.
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/calendar.rs"]
mod calendar;

#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/catalog/mod.rs"]
mod catalog;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/deadline.rs"]
mod deadline;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/diag.rs"]
mod diag;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/incident.rs"]
mod incident;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/model.rs"]
mod model;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/read.rs"]
mod read;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/rule.rs"]
mod rule;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/spec.rs"]
mod spec;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/taxonomy.rs"]
mod taxonomy;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/text.rs"]
mod text;
#[allow(dead_code, unreachable_pub, unused_imports, unfulfilled_lint_expectations)]
#[path = "src/truth.rs"]
mod truth;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(ctrlmap_embedded)");
    println!("cargo::rustc-cfg=ctrlmap_embedded");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    // A folder is watched with everything under it. A change to the loader's sources
    // rebuilds this script, which then runs again.
    println!("cargo::rerun-if-changed=controls");
    println!("cargo::rerun-if-changed=build.rs");

    let dir = root.join("controls");
    let paths = catalog::toml_files(&dir)
        .unwrap_or_else(|e| fail(&format!("cannot read the catalog folder {}: {e}", dir.display())));
    let mut texts = Vec::new();
    let mut list = String::from(
        "/// The shipped catalog's files, sorted by path: name and text.\n\
         pub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &paths {
        // Named as from the package's root, with `/` between folders on every system.
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        texts.push((name.clone(), Cow::Owned(text)));
        // Read from where the crate is compiled, not where this script last ran.
        writeln!(
            list,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{name}\"))),"
        )
        .expect("writing to a String cannot fail");
    }
    list.push_str("];\n");

    let mut map = diag::SourceMap::new();
    let model = match catalog::load_layers(Some(texts), &catalog::Sources::default(), &mut map) {
        Ok(loaded) => loaded,
        Err(diags) => fail(&format!("the shipped catalog does not load:\n{}", map.render(&diags))),
    };
    let bytes = postcard::to_allocvec(&model).unwrap_or_else(|e| fail(&format!("cannot encode the catalog: {e}")));
    let model_path = out_dir.join("catalog.postcard");
    fs::write(&model_path, bytes).expect("OUT_DIR is writable");
    writeln!(
        list,
        "/// The shipped catalog validated, with its warnings, as postcard bytes.\n\
         pub(crate) static MODEL: &[u8] = include_bytes!({:?});",
        model_path.display().to_string()
    )
    .expect("writing to a String cannot fail");
    fs::write(out_dir.join("embedded.rs"), list).expect("OUT_DIR is writable");
}

/// Stops the build with a message.
fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}
