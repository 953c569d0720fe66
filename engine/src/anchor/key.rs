//! The server key: an Ed25519 key pair kept in a file outside the database,
//! created on first start. Its public half is what a verifier trusts: it is
//! written beside the key (`<key>.pub`, hex) to be handed to auditors.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} is not an Ed25519 key (64 hex digits expected)")]
    Malformed(String),
}

/// The signing half. Never logged, never stored in the database.
pub struct ServerKey {
    signing: SigningKey,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of logs and panics: only the public key is shown.
        write!(f, "ServerKey({})", self.public().to_hex())
    }
}

/// The public half: checks record seals, anchors and dossier signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

fn decode32(text: &str, what: &str) -> Result<[u8; 32], KeyError> {
    let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed(what.into()))?;
    bytes.try_into().map_err(|_| KeyError::Malformed(what.into()))
}

/// Where the public half of the key at `key` is written.
pub fn public_path(key: &Path) -> PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

impl ServerKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> ServerKey {
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
        ServerKey { signing: SigningKey::from_bytes(&seed) }
    }

    /// Read the key at `path`, or create it (readable by its owner only) and
    /// its `.pub` file when there is none: the first start of a server.
    pub fn load_or_create(path: &Path) -> Result<ServerKey, KeyError> {
        let shown = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(ServerKey { signing: SigningKey::from_bytes(&decode32(&text, &shown)?) }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = ServerKey::generate();
                key.write_new(path).map_err(|e| KeyError::Io(shown, e))?;
                Ok(key)
            }
            Err(e) => Err(KeyError::Io(shown, e)),
        }
    }

    fn write_new(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        // create_new: two processes starting at once never overwrite each other's key.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        file.write_all(hex::encode(self.signing.to_bytes()).as_bytes())?;
        file.sync_all()?;
        std::fs::write(public_path(path), format!("{}\n", self.public().to_hex()))
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    /// The signature of `message`, in hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

impl PublicKey {
    pub fn from_hex(text: &str) -> Result<PublicKey, KeyError> {
        let bytes = decode32(text, "public key")?;
        VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| KeyError::Malformed("public key".into()))
    }

    /// A public key given as hex, or as a file holding it: a `.pub` file, or
    /// the key file itself (whose public half is derived).
    pub fn load(spec: &str) -> Result<PublicKey, KeyError> {
        if let Ok(key) = PublicKey::from_hex(spec) {
            return Ok(key);
        }
        let text = std::fs::read_to_string(spec).map_err(|e| KeyError::Io(spec.into(), e))?;
        match spec.ends_with(".pub") {
            true => PublicKey::from_hex(&text),
            false => Ok(ServerKey { signing: SigningKey::from_bytes(&decode32(&text, spec)?) }.public()),
        }
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// True when `signature` (hex) is this key's signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &str) -> bool {
        let Ok(bytes) = hex::decode(signature) else { return false };
        let Ok(sig) = Signature::from_slice(&bytes) else { return false };
        self.0.verify(message, &sig).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys/anchor.key");
        let first = ServerKey::load_or_create(&path).expect("created");
        let again = ServerKey::load_or_create(&path).expect("read");
        assert_eq!(first.public(), again.public());
        let published = PublicKey::load(public_path(&path).to_str().expect("utf-8")).expect("pub file");
        assert_eq!(published, first.public());
        assert_eq!(PublicKey::load(path.to_str().expect("utf-8")).expect("key file"), first.public());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the secret is readable by its owner only");
        }
        assert!(!format!("{first:?}").contains(&std::fs::read_to_string(&path).expect("read")));
    }

    #[test]
    fn a_signature_holds_for_its_message_and_key_only() {
        let key = ServerKey::generate();
        let sig = key.sign(b"head");
        assert!(key.public().verifies(b"head", &sig));
        assert!(!key.public().verifies(b"head2", &sig));
        assert!(!ServerKey::generate().public().verifies(b"head", &sig));
        assert!(!key.public().verifies(b"head", "zz"));
    }
}
