//! Keeping an admin key on this device, encrypted with a passphrase, using
//! the browser's WebCrypto: PBKDF2-SHA256 turns the passphrase and a random
//! salt into a non-extractable AES-256-GCM key, and every sealing uses a
//! fresh random IV.

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto,
};

use crate::domain::connection::Sealed;

/// PBKDF2 rounds for new seals; OWASP's 2023 figure for SHA-256.
pub const ITERATIONS: u32 = 600_000;

/// Why a secret could not be sealed or opened.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error(
        "That passphrase does not unlock the saved key. Nothing was changed."
    )]
    WrongPassphrase,
    #[error("Choose a passphrase of at least 8 characters.")]
    WeakPassphrase,
    #[error(
        "This browser cannot encrypt here (WebCrypto needs https or \
         localhost), so the key can only be kept in memory."
    )]
    Unavailable,
}

/// Encrypts `secret` under `passphrase`.
pub async fn seal(
    secret: &str,
    passphrase: &str,
) -> Result<Sealed, VaultError> {
    if passphrase.chars().count() < 8 {
        return Err(VaultError::WeakPassphrase);
    }
    let salt = random_bytes(16)?;
    let iv = random_bytes(12)?;
    let subtle = subtle()?;
    let key = derive(&subtle, passphrase, &salt, ITERATIONS).await?;
    let params =
        AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(&iv[..]));
    let data = Uint8Array::from(secret.as_bytes());
    let sealed = subtle
        .encrypt_with_object_and_js_u8_array(&params, &key, &data)
        .map_err(|_| VaultError::Unavailable)?;
    let ciphertext = bytes_of(JsFuture::from(sealed).await)
        .map_err(|_| VaultError::Unavailable)?;
    Ok(Sealed {
        iterations: ITERATIONS,
        salt,
        iv,
        ciphertext,
    })
}

/// Decrypts a sealed secret; a wrong passphrase fails GCM's tag check.
pub async fn open(
    sealed: &Sealed,
    passphrase: &str,
) -> Result<String, VaultError> {
    let subtle = subtle()?;
    let key =
        derive(&subtle, passphrase, &sealed.salt, sealed.iterations).await?;
    let params = AesGcmParams::new_with_u8_array(
        "AES-GCM",
        &Uint8Array::from(&sealed.iv[..]),
    );
    let data = Uint8Array::from(&sealed.ciphertext[..]);
    let opened = subtle
        .decrypt_with_object_and_js_u8_array(&params, &key, &data)
        .map_err(|_| VaultError::Unavailable)?;
    let plain = bytes_of(JsFuture::from(opened).await)
        .map_err(|_| VaultError::WrongPassphrase)?;
    String::from_utf8(plain).map_err(|_| VaultError::WrongPassphrase)
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    let window = web_sys::window().ok_or(VaultError::Unavailable)?;
    let crypto = window.crypto().map_err(|_| VaultError::Unavailable)?;
    Ok(crypto.subtle())
}

fn random_bytes(len: usize) -> Result<Vec<u8>, VaultError> {
    let window = web_sys::window().ok_or(VaultError::Unavailable)?;
    let crypto = window.crypto().map_err(|_| VaultError::Unavailable)?;
    let mut bytes = vec![0u8; len];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| VaultError::Unavailable)?;
    Ok(bytes)
}

async fn derive(
    subtle: &SubtleCrypto,
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<CryptoKey, VaultError> {
    let raw = Uint8Array::from(passphrase.as_bytes());
    let usage = Array::of1(&JsValue::from_str("deriveKey"));
    let base = subtle
        .import_key_with_str("raw", &raw, "PBKDF2", false, &usage)
        .map_err(|_| VaultError::Unavailable)?;
    let base: CryptoKey = JsFuture::from(base)
        .await
        .map_err(|_| VaultError::Unavailable)?
        .unchecked_into();

    let params = Pbkdf2Params::new_with_str(
        "PBKDF2",
        "SHA-256",
        iterations,
        &Uint8Array::from(salt),
    );
    let aes = AesDerivedKeyParams::new("AES-GCM", 256);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    // Not extractable: script on the page can use the key but never read it.
    let key = subtle
        .derive_key_with_object_and_object(&params, &base, &aes, false, &usages)
        .map_err(|_| VaultError::Unavailable)?;
    JsFuture::from(key)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|_| VaultError::Unavailable)
}

fn bytes_of(result: Result<JsValue, JsValue>) -> Result<Vec<u8>, JsValue> {
    let buffer: ArrayBuffer = result?.dyn_into()?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
