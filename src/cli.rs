//! Command-line arguments (DESIGN §6), as clap derive types only.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Map a security incident to the frameworks, controls and obligations it engages.
///
/// Describe what is known about an incident in a small TOML file; ctrlmap evaluates it
/// against a catalog of framework controls and prints an exposure report: what
/// applies, what may apply and which unknown facts would decide it, what to do, whom
/// to notify, and by when, each with the reason why.
///
/// Exit codes: 0 success, 1 differences found (verify), 2 bad input or usage.
#[derive(Debug, Parser)]
#[command(name = "ctrlmap", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate an incident and print the exposure report.
    ///
    /// Example: ctrlmap report incidents/flickr-2026-02.toml --format json
    Report(ReportArgs),
    /// Validate catalogs and print every problem found (exit 2 on errors).
    ///
    /// Incident files given too are read against the catalog: bad values, dates and
    /// `[[done]]` ids are errors, a `[[done]]` for an obligation that does not apply a
    /// warning.
    ///
    /// Example: ctrlmap check --controls my-controls/ incidents/*.toml
    Check(CheckArgs),
    /// List the frameworks, controls or facts of the catalog.
    List(ListArgs),
    /// Explain why one framework, control or obligation does or does not apply.
    ///
    /// Shows each condition on the way (framework scope, control and obligation `when`),
    /// every fact it reads with its value and where that came from, and for an undecided
    /// item what each open question's answer would make of it.
    ///
    /// Example: ctrlmap explain incidents/flickr-2026-02.toml gdpr:art33.1
    Explain(ExplainArgs),
    /// The controls related to one control across frameworks, with the chain of links.
    ///
    /// Relationship types compose as set theory allows (equal then subset-of is
    /// subset-of; a chain through intersects-with is at most intersects-with; chains
    /// that prove nothing stop).
    ///
    /// Example: ctrlmap map pci-dss:12.8 --to nis2
    Map(MapArgs),
    /// Draw the catalog, or an incident's exposure, as Graphviz DOT or Mermaid.
    ///
    /// With an incident: stated facts → derived facts → controls → frameworks, grouped
    /// by framework and coloured by status; dashed edges are open questions.
    ///
    /// Example: ctrlmap graph incidents/flickr-2026-02.toml | dot -Tsvg > flickr.svg
    Graph(GraphArgs),
    /// Evaluate many incidents (ctrlmap TOML or VERIS JSON): one row each, then counts
    /// per framework and control.
    ///
    /// A file that cannot be read is reported on stderr and skipped; the others still
    /// run, and the exit code is then 2. CSV cells that a spreadsheet would read as a
    /// formula are prefixed with `'`.
    ///
    /// Example: ctrlmap batch incidents/*.toml --format csv
    Batch(BatchArgs),
    /// Write a commented incident template: every section and key, the values each kind
    /// accepts, and the clocks each timeline date starts.
    ///
    /// Example: ctrlmap new acme-2026-03 --output incidents/acme-2026-03.toml
    New(NewArgs),
    /// Import an OSCAL catalog or a VERIS incident as ctrlmap TOML (on stdout).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write pre-filled notification drafts: one per notify obligation that applies or
    /// may apply (or per id given), each part filled from the incident or marked "to
    /// complete".
    ///
    /// Assumptions (`--assume`) change which drafts are due, never what a draft says.
    ///
    /// Example: ctrlmap draft incidents/flickr-2026-02.toml gdpr:art33.1 --output drafts/
    Draft(DraftArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: `ctrlmap completions bash > ~/.local/share/bash-completion/completions/ctrlmap`
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) generated from these definitions.
    ///
    /// Example: ctrlmap man > ctrlmap.1 && man ./ctrlmap.1
    Man,
    /// Compare the reports of a folder of scenario incidents with stored ones (for CI).
    ///
    /// Exit 0 when every report matches, 1 when one differs, is new or is stale, 2 on
    /// bad input. With --accept, new and changed reports are written and stale ones
    /// removed, and the exit code is 0. Only reports that --accept wrote, listed in the
    /// snapshots folder's `.ctrlmap-manifest` with their content, are ever removed.
    ///
    /// Example: ctrlmap verify scenarios/ --snapshots scenarios/reports --controls controls/
    Verify(VerifyArgs),
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The incident file.
    pub incident: PathBuf,
    /// A framework, control or obligation id, e.g. `nis2`, `nis2:art21`, `gdpr:art33.1`.
    pub id: String,
    /// Scope and assumptions.
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Arguments of `map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// A control id, e.g. `pci-dss:12.8`.
    pub id: String,
    /// Only controls of this framework.
    #[arg(long, value_name = "FRAMEWORK")]
    pub to: Option<String>,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// An incident file; without one, the whole catalog is drawn.
    pub incident: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Scope and assumptions.
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Diagram formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders on common code hosts).
    Mermaid,
}

/// Arguments of `batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Incident files: `.toml` (ctrlmap) or `.json` (VERIS), or folders of them (read
    /// with their subfolders, in path order).
    #[arg(required = true)]
    pub incidents: Vec<PathBuf>,
    /// Output format: `csv`, one row per incident under one header; `json`, the rows
    /// and the counts per framework and control.
    #[arg(long, value_enum, default_value_t = BatchFormat::Csv)]
    pub format: BatchFormat,
    /// Also write the counts per framework and control, as CSV, to FILE.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Scope.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Incident files to check against the catalog.
    pub incidents: Vec<PathBuf>,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's id.
    pub id: Option<String>,
    /// Start from an incident in another format: `--from veris FILE` imports a VERIS
    /// incident and adds the template's other keys as comments.
    #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"])]
    pub from: Vec<String>,
    /// Write the template to FILE (atomically; an existing file is left alone).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Catalogs (their taxonomy gives the values listed).
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Batch formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// An OSCAL 1.0/1.1 JSON catalog → one framework TOML.
    ///
    /// Example: ctrlmap import oscal NIST_SP-800-53_rev5_catalog.json --attack-mappings
    /// nist_800_53-rev5_attack-16.1-enterprise.json > controls/sp800-53.toml
    Oscal {
        /// The OSCAL catalog (JSON).
        catalog: PathBuf,
        /// A Center for Threat-Informed Defense ATT&CK → SP 800-53 mapping file: each
        /// control gets `when = "technique:{…}"` for the techniques it mitigates.
        #[arg(long, value_name = "FILE")]
        attack_mappings: Option<PathBuf>,
        /// The framework id to give (default: from the catalog's title).
        #[arg(long)]
        id: Option<String>,
        /// Catalogs (their taxonomy decides which techniques exist).
        #[command(flatten)]
        catalog_args: CatalogArgs,
    },
    /// A VERIS 1.3 incident (JSON) → incident TOML.
    ///
    /// Example: ctrlmap import veris 0001AA7F.json > incidents/0001AA7F.toml
    Veris {
        /// The VERIS incident (JSON).
        incident: PathBuf,
        /// Catalogs (their taxonomy decides which facts exist).
        #[command(flatten)]
        catalog_args: CatalogArgs,
    },
}

/// Arguments of `draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The incident file.
    pub incident: PathBuf,
    /// Only these obligations (e.g. `gdpr:art33.1`); default: every notify obligation
    /// that applies or may apply.
    pub ids: Vec<String>,
    /// Write one file per draft into DIR (atomically) instead of standard output.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// With --output: replace drafts even where they no longer hold what ctrlmap wrote
    /// last (edited by hand, or not written by ctrlmap).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Scope and assumptions.
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Folder of scenario incidents (`*.toml`).
    pub scenarios: PathBuf,
    /// Folder of stored reports, one `<scenario>.md` (or `.json`) per scenario.
    #[arg(long, value_name = "DIR")]
    pub snapshots: PathBuf,
    /// Report format to compare.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Scope of the reports.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Write new and changed reports and remove stale ones (only reports listed in the
    /// folder's manifest as written by --accept).
    #[arg(long)]
    pub accept: bool,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// Which catalogs to load.
#[derive(Debug, Args, Clone, Default)]
pub struct CatalogArgs {
    /// Load the catalog in DIR (every `*.toml` in it, or one file) on top of the default
    /// one (repeatable; later ones win). A framework with an existing id replaces it;
    /// new facts extend the taxonomy.
    #[arg(long = "controls", value_name = "DIR")]
    pub controls: Vec<PathBuf>,
    /// Start from an empty catalog instead of the one built into ctrlmap.
    #[arg(long)]
    pub no_default_controls: bool,
}

/// How an incident is evaluated: `--scope` and `--assume`, shared by every subcommand
/// that evaluates one incident.
#[derive(Debug, Args, Clone)]
pub struct EvalArgs {
    /// Scope.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Answer an open question without editing the incident, e.g.
    /// `--assume status:nis2-important=true` or `--assume count:US-CA=600` (repeatable).
    #[arg(long, value_name = "FACT=VALUE")]
    pub assume: Vec<String>,
}

/// `--scope`, for every subcommand that evaluates incidents. (`--now` is not here: only
/// `report` shows time left.)
#[derive(Debug, Args, Clone, Copy)]
pub struct ScopeArgs {
    /// `org`: only what applies to this organisation. `all`: ignore framework scopes, to
    /// see what the incident implicates for any organisation.
    #[arg(long, value_enum, default_value_t = Scope::Org)]
    pub scope: Scope,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The incident file (TOML, see the README for its format).
    pub incident: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Scope and assumptions.
    #[command(flatten)]
    pub eval: EvalArgs,
    /// Show the time left before each deadline, counted from TIME (RFC 3339, e.g.
    /// 2026-02-06T12:00:00Z), or from this machine's clock with `--now now`. Reports
    /// carry no clock time unless this is given.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Only frameworks of these kinds (law, regulation, standard, guidance; comma
    /// separated): `--kind law,regulation` for the statutory duties alone.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub kind: Vec<KindFilter>,
    /// Only this framework (repeatable): `--framework dora --framework gdpr`.
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

impl KindFilter {
    /// The framework kind.
    #[must_use]
    pub fn kind(self) -> crate::model::FrameworkKind {
        match self {
            KindFilter::Law => crate::model::FrameworkKind::Law,
            KindFilter::Regulation => crate::model::FrameworkKind::Regulation,
            KindFilter::Standard => crate::model::FrameworkKind::Standard,
            KindFilter::Guidance => crate::model::FrameworkKind::Guidance,
        }
    }
}

/// Framework kinds, for `report --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindFilter {
    /// Statutes.
    Law,
    /// Regulations.
    Regulation,
    /// Standards.
    Standard,
    /// Guidance.
    Guidance,
}

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: ListWhat,
    /// Catalogs.
    #[command(flatten)]
    pub catalog: CatalogArgs,
}

/// What `list` lists.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListWhat {
    /// Framework ids, kinds and titles.
    Frameworks,
    /// Control and obligation ids with titles.
    Controls,
    /// Every fact of the taxonomy, with its world and what it implies.
    Facts,
    /// Holiday calendars: id, time zone, place, years covered and title.
    Calendars,
}

/// Formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people.
    Markdown,
    /// For machines (schema in the README).
    Json,
    /// iCalendar (RFC 5545): one event per dated obligation, to import or subscribe to.
    Ics,
}

impl From<Format> for ReportFormat {
    fn from(f: Format) -> ReportFormat {
        match f {
            Format::Markdown => ReportFormat::Markdown,
            Format::Json => ReportFormat::Json,
        }
    }
}

/// Report formats of `verify` and `draft`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Markdown,
    /// For machines (schema in the README).
    Json,
}

/// Scope modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// This organisation.
    Org,
    /// Any organisation.
    All,
}
