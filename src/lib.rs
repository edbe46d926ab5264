//! ctrlmap maps a security incident to the compliance frameworks, controls and
//! obligations it engages, with the reasons why and the open questions that would
//! change the answer.
//!
//! The pipeline, one module per stage (all private; the items below are the crate's
//! whole public surface):
//!
//! 1. `catalog` reads catalog TOML (`spec` types with spans) and validates it into
//!    the `model` and the `taxonomy`, collecting every [`Diagnostic`]: [`load_catalog`];
//! 2. `incident` reads an incident into stated facts; `facts` closes them over
//!    `implies` (three-valued, [`Truth`]): [`Incident`], [`FactValues`];
//! 3. `graph` holds the catalog's relations as one petgraph graph: [`CatalogGraph`];
//! 4. `applicability` decides whether an item applies, `evaluate` evaluates every
//!    framework, control and obligation, computes deadlines, the consolidated
//!    checklist, the open questions and the places not covered: [`evaluate()`];
//! 5. `report` renders the result as Markdown or JSON; `explain` and `draft` answer
//!    for one item: [`render_markdown`], [`render_json`], [`explain()`], [`drafts`].
//!
//! `commands` runs each subcommand of `cli` for the binary: [`run`].

mod applicability;
mod batch;
mod calendar;
mod catalog;
mod cli;
mod commands;
mod coverage;
mod deadline;
mod diag;
mod draft;
mod evaluate;
mod explain;
mod facts;
mod graph;
mod import;
mod incident;
mod manifest;
mod map;
mod model;
mod provenance;
mod reach;
mod read;
mod report;
mod rule;
mod spec;
mod taxonomy;
mod template;
mod text;
mod truth;
mod verify;
mod write;

// Loading.
pub use catalog::{MAX_CATALOG_BYTES, MAX_FILES, Sources, load as load_catalog};
pub use diag::{Diagnostic, FileId, SourceMap};
pub use model::{Catalog, Control, ControlStatus, Framework, ItemId, Obligation};
pub use read::MAX_FILE_BYTES;
pub use taxonomy::FactId;
// Incidents and their facts.
pub use facts::FactValues;
pub use incident::{Assumption, Incident};
pub use truth::Truth;
// Rules and deadlines, as the catalog holds them.
pub use calendar::{Calendar, Outside};
pub use deadline::{Count, EndOfDay, Start, Within};
pub use rule::{Env, Expr, Rule};
// Evaluation.
pub use applicability::{Item, Verdict};
pub use evaluate::{Exposure, ScopeMode, Status, due_times, evaluate};
pub use graph::CatalogGraph;
pub use reach::unreachable_obligations;
// Rendering and answers.
pub use draft::{drafts, markdown as draft_markdown};
pub use explain::explain;
pub use report::Options as ReportOptions;
pub use report::json::render as render_json;
pub use report::markdown::render as render_markdown;
// Importers.
pub use import::oscal::import as import_oscal;
pub use import::veris::{import as import_veris, to_incident as veris_incident};
// The binary.
pub use cli::Cli;
pub use commands::{Exit, Output, run};
