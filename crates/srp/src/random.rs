//! Randomness from the operating system's CSPRNG (getrandom), for every secret we draw.

use zeroize::Zeroizing;

use crate::encoding::encode_base64;
use crate::error::{Error, Result};

/// `LEN` random bytes, wiped when dropped.
pub(crate) fn random_bytes<const LEN: usize>() -> Result<Zeroizing<[u8; LEN]>> {
    let mut bytes = Zeroizing::new([0u8; LEN]);
    getrandom::getrandom(bytes.as_mut_slice()).map_err(|_| Error::Random)?;
    Ok(bytes)
}

/// Size of a SECRET_BLOCK made by [`new_secret_block`].
pub const SECRET_BLOCK_BYTES: usize = 256;

/// A fresh SECRET_BLOCK for a server challenge: random bytes, standard base64.
///
/// Cognito's real SECRET_BLOCK is an opaque encrypted blob; clients only echo it and
/// MAC its decoded bytes, so random bytes of a similar size serve a local pool.
pub fn new_secret_block() -> Result<String> {
    Ok(encode_base64(
        random_bytes::<SECRET_BLOCK_BYTES>()?.as_slice(),
    ))
}
