//! Reading CRLF-terminated lines with a length limit.

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One line read from the client.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Line {
    /// A line, without its CRLF (or bare LF).
    Complete(Vec<u8>),
    /// The line was longer than allowed (its content is not kept).
    TooLong,
    /// The connection closed (a partial last line is dropped).
    Eof,
}

/// What to do with a line over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Overflow {
    /// Return [`Line::TooLong`] at once, leaving the rest of the line unread: the
    /// caller ends the session.
    Stop,
    /// Read and discard up to the end of the line, then return [`Line::TooLong`].
    Skip,
}

/// Reads one line of at most `max` octets including its line end.
pub(super) async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    max: usize,
    overflow: Overflow,
) -> io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(Line::Eof);
        }
        let (chunk, complete) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let used = chunk.len();
        if !too_long {
            if line.len() + used > max {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        reader.consume(used);
        if too_long && overflow == Overflow::Stop {
            return Ok(Line::TooLong);
        }
        if complete {
            break;
        }
    }
    if too_long {
        return Ok(Line::TooLong);
    }
    line.pop(); // the '\n'
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Line::Complete(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_limits_and_eof() {
        let mut input: &[u8] = b"LHLO x\r\nbare lf\n0123456789\r\nnext\r\npartial";
        assert_eq!(read_line(&mut input, 100, Overflow::Stop).await.unwrap(), Line::Complete(b"LHLO x".to_vec()));
        assert_eq!(read_line(&mut input, 100, Overflow::Stop).await.unwrap(), Line::Complete(b"bare lf".to_vec()));
        assert_eq!(read_line(&mut input, 11, Overflow::Skip).await.unwrap(), Line::TooLong);
        assert_eq!(read_line(&mut input, 6, Overflow::Stop).await.unwrap(), Line::Complete(b"next".to_vec()));
        assert_eq!(read_line(&mut input, 100, Overflow::Stop).await.unwrap(), Line::Eof);
    }
}
