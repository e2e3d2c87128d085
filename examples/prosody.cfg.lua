-- Example Prosody for trying Passerelle on loopback (docs/first-message.md): the "public" XMPP
-- server xmpp.example.test on 127.0.0.2, federating with Passerelle's sip.example.test.
-- Paths are relative to the folder Prosody is started in (the repository's examples/).
interfaces = { "127.0.0.2" }
c2s_ports = { 5222 }
s2s_ports = { 5269 }
http_ports = { }
https_ports = { }
pidfile = "data/prosody/prosody.pid"
data_path = "data/prosody"
log = { info = "*console" }
use_ipv6 = false
run_as_root = true

-- Resolve sip.example.test from /etc/hosts (lua-unbound ignores it otherwise).
unbound = { hoststxt = true; resolvconf = false; forward = "127.0.0.39" }

authentication = "internal_plain"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true

-- Passerelle's example certificate comes from its own example CA: not trusted here, so the
-- proxy proves its domain with server dialback over TLS.
s2s_require_encryption = true
s2s_secure_auth = false
ssl = { certificate = "certs/xmpp.example.test.crt"; key = "certs/xmpp.example.test.key" }

modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; "disco"; "posix" }
modules_disabled = { "offline"; "limits" }

VirtualHost "xmpp.example.test"
