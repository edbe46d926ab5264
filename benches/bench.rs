//! The performance figures of the README, measured (run with `cargo bench`):
//!
//! 1. `report` of the Flickr incident as a whole process (target: under 10 ms);
//! 2. `check` of generated catalogs of 10,000 and 100,000 controls, against the floor
//!    of reading the same files and parsing them into `toml::Table` (target: at most
//!    1.5× the floor; growth from 10,000 to 100,000 no worse than linear);
//! 3. evaluation throughput over the 2,000 VCDB incidents of `../shared/data` against
//!    the default catalog (target: at least 10,000 incidents per second);
//! 4. `import oscal` of the SP 800-53 catalog as a whole process (target: under 50 ms);
//! 5. peak memory of 2 and of `batch` over the VCDB incidents, read from the kernel's
//!    accounting of the finished process.
//!
//! Each timing is the median of several runs. Generated catalogs go to
//! `target/bench-data/`; `cargo bench --bench bench -- --quick` runs fewer repetitions,
//! and naming sections (`report`, `check`, `batch`, `import`) runs only those.

#![allow(clippy::disallowed_macros, reason = "a benchmark prints its figures")]
#![allow(missing_docs, reason = "a benchmark binary, not an API")]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ctrlmap::CatalogGraph;
use ctrlmap::FactValues;
use ctrlmap::SourceMap;
use ctrlmap::Sources;
use ctrlmap::{ScopeMode, evaluate};
use rayon::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_ctrlmap");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f(); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn run(args: &[&str]) -> std::process::Output {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .output()
        .expect("ctrlmap runs");
    assert!(
        out.status.success(),
        "ctrlmap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs ctrlmap and returns its wall time and its CPU time (user and system, of all
/// its threads), as the kernel accounts them.
fn timed_run(args: &[&str]) -> (Duration, Duration) {
    let before = children_cpu();
    let start = Instant::now();
    run(args);
    (start.elapsed(), children_cpu().saturating_sub(before))
}

/// CPU time used by this process's finished children (Linux: `/proc/self/stat`).
fn children_cpu() -> Duration {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: cutime and cstime are the
    // 14th and 15th of them, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(13)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The argument with which this harness runs itself as a go-between for
/// [`peak_memory`].
const PEAK_OF: &str = "--peak-memory-of";

/// The peak resident memory of `ctrlmap ARGS`. The harness starts a copy of itself that
/// runs ctrlmap, waits for it and reads its children's peak (`getrusage`, Linux's
/// `ru_maxrss`): that copy has no other child, so the figure is this run's alone.
fn peak_memory(args: &[&str]) -> String {
    let out = Command::new(std::env::current_exe().expect("the harness's own path"))
        .arg(PEAK_OF)
        .args(args)
        .output()
        .expect("the harness runs");
    assert!(
        out.status.success(),
        "measuring ctrlmap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The go-between of [`peak_memory`]: runs ctrlmap and prints its peak memory.
#[cfg(unix)]
fn report_peak_memory(args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args);
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    // Kilobytes on Linux.
    let kib = u32::try_from(usage.max_rss()).unwrap_or(u32::MAX);
    println!("{:.1} MiB", f64::from(kib) / 1024.0);
}

#[cfg(not(unix))]
fn report_peak_memory(_: &[String]) {
    println!("n/a");
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Facts the generated rules draw on (all in the shipped taxonomy).
const ATOMS: [&str; 16] = [
    "data:email",
    "data:name",
    "data:payment-card",
    "data:health",
    "data:credentials",
    "vector:third-party",
    "vector:phishing",
    "vector:ransomware",
    "residency:EU",
    "residency:US-CA",
    "established:US",
    "sector:finance",
    "sector:healthcare",
    "technique:T1199",
    "status:nis2-important",
    "assessment:gdpr-high-risk",
];

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 33) as usize
    }
    fn atom(&mut self) -> &'static str {
        ATOMS[self.next() % ATOMS.len()]
    }
}

/// Writes `frameworks` files of `controls` controls each (two obligations per control,
/// a rule per control, related links and deadlines), as a user's catalog would look.
fn generate(dir: &Path, frameworks: usize, controls: usize) {
    if dir.join("done").is_file() {
        return;
    }
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("bench dir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for f in 0..frameworks {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "[framework]\nid = \"gen{f:04}\"\ntitle = \"Generated framework {f}\"\nkind = \"standard\"\nsource = \"https://example.org/gen{f}\"\nscope = \"{} or {}\"\n",
            rng.atom(),
            rng.atom()
        );
        for c in 0..controls {
            let other = (f + 1 + rng.next() % frameworks.max(2)) % frameworks;
            let _ = writeln!(
                out,
                "[[control]]\nid = \"c{c}\"\ntitle = \"Control {c} of framework {f}\"\nsummary = \"A generated control for benchmarks.\"\nsource = \"https://example.org/gen{f}#c{c}\"\nwhen = \"{} and ({} or not {})\"\nrelated = [{{ to = \"gen{other:04}:c{}\", relation = \"intersects-with\" }}]\n",
                rng.atom(),
                rng.atom(),
                rng.atom(),
                rng.next() % controls
            );
            let _ = writeln!(
                out,
                "[[control.obligation]]\nid = \"c{c}.notify\"\nkind = \"notify\"\nnotify = \"Someone\"\naction = \"Tell someone about it.\"\ndeadline = {{ within = \"72h\", from = \"discovered\" }}\nevidence = [\"A record\"]\n"
            );
            let _ = writeln!(
                out,
                "[[control.obligation]]\nid = \"c{c}.review\"\nkind = \"review\"\naction = \"Review it.\"\nwhen = \"{}\"\ndeadline = {{ within = \"1mo\", from = \"gen{f:04}:c{c}.notify\" }}\n",
                rng.atom()
            );
        }
        fs::write(dir.join(format!("gen{f:04}.toml")), out).expect("write");
    }
    fs::write(dir.join("done"), "").expect("write");
}

/// The floor: read every file and parse it into a `toml::Table`.
fn parse_floor(dir: &Path) {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for f in files {
        let text = fs::read_to_string(f).expect("read");
        let table: toml::Table = text.parse().expect("valid TOML");
        std::hint::black_box(table);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == PEAK_OF) {
        report_peak_memory(&args[1..]);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    // `cargo bench --bench bench -- report check` runs only those sections.
    let sections: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |name: &str| sections.is_empty() || sections.iter().any(|s| s == name);
    let reps = if quick { 3 } else { 11 };
    let data = root().join("../shared/data");
    println!(
        "machine: {} cores; {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        cpu_model()
    );
    println!("each figure is the median of {reps} runs\n");

    // 1. report, whole process.
    if wanted("report") {
        let report = time(reps.max(21), || {
            run(&["report", "incidents/flickr-2026-02.toml"]);
        });
        println!(
            "1. report of the Flickr incident (whole process): {} (target < 10 ms)",
            ms(report)
        );
    }

    // 2. check of generated catalogs, against the parse floor. Each run of `check` is
    // followed by a run of the floor, and the ratio is the median of the pairs' ratios,
    // so that a drift in the machine's speed affects both sides alike.
    if wanted("check") {
        let mut per_control = Vec::new();
        for (frameworks, controls) in [(10, 1_000), (100, 1_000)] {
            let total = frameworks * controls;
            let dir = root().join(format!("target/bench-data/catalog-{total}"));
            generate(&dir, frameworks, controls);
            let dir_s = dir.to_str().expect("utf-8 path").to_owned();
            let args = ["check", "--controls", dir_s.as_str()];
            run(&args);
            let (mut checks, mut floors, mut ratios, mut cpus) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for _ in 0..reps.min(7) {
                let (check, cpu) = timed_run(&args);
                let start = Instant::now();
                parse_floor(&dir);
                let floor = start.elapsed();
                ratios.push(check.as_secs_f64() / floor.as_secs_f64());
                checks.push(check);
                floors.push(floor);
                cpus.push(cpu);
            }
            ratios.sort_by(f64::total_cmp);
            let ratio = ratios[ratios.len() / 2];
            let check = median(checks);
            println!(
                "2. check of {total} controls: {} (CPU {}) vs parse floor {} = {ratio:.2}x (target <= 1.5x); peak memory {}",
                ms(check),
                ms(median(cpus)),
                ms(median(floors)),
                peak_memory(&args)
            );
            per_control.push((total, check));
        }
        if let [(small, a), (large, b)] = per_control[..] {
            let growth = b.as_secs_f64() / a.as_secs_f64();
            println!(
                "   growth from {small} to {large} controls: {growth:.1}x for {}x the controls (target: no worse than linear)",
                large / small
            );
        }
    }

    // 3. evaluation throughput over VCDB.
    let vcdb = data.join("vcdb");
    if !wanted("batch") {
    } else if vcdb.is_dir() {
        let mut map = SourceMap::new();
        let (catalog, _) = ctrlmap::load_catalog(&Sources::embedded(), &mut map).expect("catalog");
        let graph = CatalogGraph::build(&catalog);
        let mut files: Vec<PathBuf> = fs::read_dir(&vcdb)
            .expect("vcdb")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut loaded = Vec::new();
        for path in &files {
            let text = fs::read_to_string(path).expect("read");
            let file = map.add(path.display().to_string(), text);
            let Ok(incident) = ctrlmap::veris_incident(&map, file, &catalog.taxonomy) else {
                continue;
            };
            let Ok(values) = FactValues::close(&catalog.taxonomy, &incident) else {
                continue;
            };
            loaded.push((incident, values));
        }
        let eval = time(reps.min(5), || {
            for (incident, values) in &loaded {
                std::hint::black_box(evaluate(&catalog, &graph, incident, values, ScopeMode::Org).ok());
            }
        });
        let close = time(reps.min(5), || {
            for (incident, _) in &loaded {
                std::hint::black_box(FactValues::close(&catalog.taxonomy, incident).ok());
            }
        });
        let count = f64::from(u32::try_from(loaded.len()).unwrap_or(u32::MAX));
        let per_second = count / (eval + close).as_secs_f64();
        println!(
            "3. evaluation of {} VCDB incidents on one core: {} ({} closing facts + {} evaluating) = {per_second:.0} incidents/s (target >= 10,000/s)",
            loaded.len(),
            ms(eval + close),
            ms(close),
            ms(eval)
        );
        // As `batch` runs it: each incident closed and evaluated on its own, on every core.
        let both = time(reps.min(5), || {
            loaded.par_iter().for_each(|(incident, _)| {
                if let Ok(values) = FactValues::close(&catalog.taxonomy, incident) {
                    std::hint::black_box(evaluate(&catalog, &graph, incident, &values, ScopeMode::Org).ok());
                }
            });
        });
        println!(
            "   the same on every core, as batch runs it: {} = {:.0} incidents/s",
            ms(both),
            count / both.as_secs_f64()
        );
        let args: Vec<String> = std::iter::once("batch".to_owned())
            .chain(files.iter().map(|p| p.display().to_string()))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let batch = time(reps.min(5), || {
            run(&args);
        });
        println!(
            "   batch over the same files as a whole process (reading, importing, evaluating, CSV): {}; peak memory {}",
            ms(batch),
            peak_memory(&args)
        );
    } else {
        println!("3. skipped: {} is absent", vcdb.display());
    }

    // 4. import oscal, whole process.
    let oscal = data.join("oscal/NIST_SP-800-53_rev5_catalog.json");
    if !wanted("import") {
    } else if oscal.is_file() {
        let path = oscal.to_str().expect("utf-8 path");
        let import = time(reps.max(21), || {
            run(&["import", "oscal", path]);
        });
        println!(
            "4. import oscal of SP 800-53 rev5 (whole process): {} (target < 50 ms)",
            ms(import)
        );
    } else {
        println!("4. skipped: {} is absent", oscal.display());
    }
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
