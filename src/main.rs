//! The `ctrlmap` binary: parses arguments, runs the command, prints its output and
//! maps the result to an exit code. The only place that writes to stdout and stderr.
//!
//! A closed pipe on stdout (`ctrlmap report … | head`) ends the run quietly; any other
//! failure to write stdout is exit 2 with a message on stderr. A failure to write
//! stderr cannot be reported anywhere: it is exit 2 when the run had succeeded.

use std::fmt::Write as _;
use std::io;
use std::process::ExitCode;

use clap::Parser as _;
use ctrlmap::Cli;
use ctrlmap::Exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let exit = if e.use_stderr() { Exit::BadInput } else { Exit::Success };
            let _ = e.print();
            return ExitCode::from(exit.code());
        }
    };
    let output = ctrlmap::run(cli.command);
    let mut exit = output.exit;
    let mut stderr = output.stderr;
    match write_all(&mut io::stdout().lock(), &output.stdout) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::from(exit.code()),
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot write the output: {e}");
            exit = Exit::BadInput;
        }
        Ok(()) => {}
    }
    if write_all(&mut io::stderr().lock(), &stderr).is_err_and(|e| e.kind() != io::ErrorKind::BrokenPipe)
        && exit == Exit::Success
    {
        exit = Exit::BadInput;
    }
    ExitCode::from(exit.code())
}

fn write_all(to: &mut impl io::Write, text: &str) -> io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    to.write_all(text.as_bytes())?;
    to.flush()
}
