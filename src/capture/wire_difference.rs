//! One way a recording and scimsim's own traffic differ, and where the reference says more.

use std::fmt;

/// What part of a request differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// The recording has a request that scimsim does not send.
    OnlyRecorded,
    /// scimsim sends a request that the recording does not have.
    OnlyModel,
    /// The HTTP method.
    Method,
    /// The path.
    Path,
    /// The query string.
    Query,
    /// A header (named by the pointer).
    Header,
    /// The JSON body (at the pointer).
    Body,
}

impl Aspect {
    /// How the aspect is named in a report line.
    fn noun(self) -> &'static str {
        match self {
            Self::OnlyRecorded => "request",
            Self::OnlyModel => "request",
            Self::Method => "method",
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Body => "body",
        }
    }
}

/// A difference between the recorded request and the one scimsim's engine sends for the same
/// story.
#[derive(Debug, Clone, PartialEq)]
pub struct WireDifference {
    /// The recorded exchange's `seq` (absent for a request only scimsim sends).
    pub recorded_seq: Option<u64>,
    /// The request, as `METHOD path` with placeholders (`PATCH /Users/{user:alice}`).
    pub request: String,
    /// What differs.
    pub aspect: Aspect,
    /// Where: a header name, or a JSON pointer into the body (`/Operations/0/op`).
    pub pointer: String,
    /// The recorded value (JSON text), `None` when the recording has none.
    pub recorded: Option<String>,
    /// scimsim's value (JSON text), `None` when scimsim sends none.
    pub model: Option<String>,
    /// The section of the reference document the request belongs to.
    pub section: &'static str,
}

impl fmt::Display for WireDifference {
    /// One line: `#6 PATCH /Users/{user:a}: body /Operations/0/op: recorded "replace", scimsim
    /// sends "Replace"  [entra-wire.md §2 …]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.recorded_seq {
            Some(seq) => write!(f, "#{seq} {}: ", self.request)?,
            None => write!(f, "(not recorded) {}: ", self.request)?,
        }
        match self.aspect {
            Aspect::OnlyRecorded => f.write_str("recorded, but scimsim sends no such request")?,
            Aspect::OnlyModel => f.write_str("scimsim sends this request; the recording has none here")?,
            aspect => {
                f.write_str(aspect.noun())?;
                if !self.pointer.is_empty() {
                    write!(f, " {}", self.pointer)?;
                }
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "nothing".into());
                write!(f, ": recorded {}, scimsim sends {}", show(&self.recorded), show(&self.model))?;
            }
        }
        write!(f, "  [{}]", self.section)
    }
}
