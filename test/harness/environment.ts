import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

// n8n-core keeps an encryption key under $N8N_USER_FOLDER/.n8n: a throwaway folder per process.
// Imported before n8n-core, which reads these at load time.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-fusionauth-'));
}
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.NO_PROXY ??= '127.0.0.1,localhost';
