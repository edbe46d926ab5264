//! The `ctrlmap` binary: parses arguments, runs the command, prints its output and
//! maps the result to an exit code. The only place that writes to stdout and stderr.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use ctrlmap::Cli;
use ctrlmap::Exit;

#[expect(clippy::disallowed_macros, reason = "main is the one place that prints")]
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
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(output.stdout.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // A closed pipe (`ctrlmap report … | head`) is not an error worth a message.
        return ExitCode::from(output.exit.code());
    }
    eprint!("{}", output.stderr);
    ExitCode::from(output.exit.code())
}
