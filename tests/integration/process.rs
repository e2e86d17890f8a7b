//! The `scimsim` binary run as a user runs it, as a child process whose output is read on
//! threads. No test may hang: every wait has a deadline, and a child still running when a test
//! ends (passed or panicked) is killed.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the binary may take to start serving, or to exit.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// How a finished run of the binary ended.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code (`None` when a signal ended the process).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// A started `scimsim` child with its output being read on threads.
#[derive(Debug)]
pub struct Process {
    /// `None` once waited for.
    child: Option<Child>,
    /// Each stdout line as it arrives; disconnected at EOF.
    stdout: Receiver<String>,
    /// Every stdout line received so far.
    stdout_seen: Vec<String>,
    /// The whole of stderr, once the pipe closes.
    stderr: Option<JoinHandle<String>>,
}

impl Process {
    /// Starts the binary with `args`, setting `env` and removing `unset` from its environment.
    pub fn start(args: &[&str], env: &[(&str, &str)], unset: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scimsim"));
        command.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        for name in unset {
            command.env_remove(name);
        }
        let mut child = command.spawn().expect("the scimsim binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Self { child: Some(child), stdout: receiver, stdout_seen: Vec::new(), stderr: Some(stderr) }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the child has not been waited for").id()
    }

    /// The next stdout line, or `None` at EOF or when `deadline` passes.
    pub fn next_line(&mut self, deadline: Instant) -> Option<String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.stdout.recv_timeout(left) {
            Ok(line) => {
                self.stdout_seen.push(line.clone());
                Some(line)
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the process to exit (killing it and panicking after [`DEADLINE`]) and
    /// collects the rest of its output.
    pub fn finish(self) -> Outcome {
        self.finish_within(DEADLINE)
    }

    /// Waits for the process to exit (killing it and panicking after `limit`) and collects
    /// the rest of its output.
    pub fn finish_within(mut self, limit: Duration) -> Outcome {
        let mut child = self.child.take().expect("the child has not been waited for");
        let deadline = Instant::now() + limit;
        let status = loop {
            match child.try_wait().expect("the child's status can be read") {
                Some(status) => break Some(status),
                None if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        // The pipes close when the process exits, so these end promptly.
        while self.next_line(Instant::now() + DEADLINE).is_some() {}
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default()).unwrap_or_default();
        let stdout = self.stdout_seen.iter().map(|l| format!("{l}\n")).collect::<String>();
        let Some(status) = status else {
            panic!("scimsim did not exit within {limit:?}; killed it\nstdout:\n{stdout}\nstderr:\n{stderr}");
        };
        Outcome { code: status.code(), stdout, stderr }
    }

    /// Kills the process if it still runs, and collects its output.
    pub fn finish_now(mut self) -> Outcome {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
        }
        self.finish()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // A test that panicked while the server ran must not leave it behind.
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs the binary to completion (it must exit on its own within [`DEADLINE`]).
pub fn run(args: &[&str]) -> Outcome {
    run_with_env(args, &[], &[])
}

pub fn run_with_env(args: &[&str], env: &[(&str, &str)], unset: &[&str]) -> Outcome {
    Process::start(args, env, unset).finish()
}

/// A fresh directory under the system temp dir for a test's files, removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// `scimsim-<name>-<pid>`, emptied first; `name` is unique to the test.
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("scimsim-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the temp dir is created");
        Self(path)
    }

    /// Writes `name` with `text` and returns its path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        self.write_bytes(name, text.as_bytes())
    }

    /// Writes `name` with `bytes` (which need not be UTF-8) and returns its path as a string.
    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("the file is written");
        path_str(&path)
    }

    /// The path of `name` in the directory, as a string.
    pub fn path(&self, name: &str) -> String {
        path_str(&self.0.join(name))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `path` as a string (temp paths are UTF-8).
pub fn path_str(path: &Path) -> String {
    path.to_str().expect("temp paths are UTF-8").to_string()
}
