//! ctrlmap maps a security incident to the compliance frameworks, controls and
//! obligations it engages, with the reasons why and the open questions that would
//! change the answer.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`catalog`] reads catalog TOML ([`spec`] types with spans) and validates it into
//!    the [`model`] and the [`taxonomy`], collecting every [`diag::Diagnostic`];
//! 2. [`incident`] reads an incident into stated facts; [`facts`] closes them over
//!    `implies` (three-valued, [`truth`]);
//! 3. [`graph`] holds the catalog as a petgraph graph behind a typed API;
//! 4. [`evaluate`] evaluates the [`rule`]s of every framework, control and obligation,
//!    computes [`deadline`]s, the consolidated checklist and the open questions;
//! 5. [`report`] renders the result as Markdown or JSON.
//!
//! [`commands`] runs each subcommand of [`cli`] and returns what to print.

pub mod applicability;
pub mod batch;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod coverage;
pub mod deadline;
pub mod diag;
pub mod draft;
pub mod evaluate;
pub mod explain;
pub mod facts;
pub mod graph;
pub mod import;
pub mod incident;
pub mod map;
pub mod model;
pub(crate) mod provenance;
pub mod reach;
pub mod report;
pub mod rule;
pub mod spec;
pub mod taxonomy;
pub mod truth;
pub mod verify;
pub mod write;
