/** The keys every Woosoo project has: environment, network, database, Reverb, app folders, tool locations. */
import { key, t, type KeyTable } from './define';

/** The environments: ENVIRONMENT's values, and the names of the overlay files (deployment.config.<name>.env). */
export const ENVIRONMENT_NAMES = ['development', 'staging', 'production'] as const;

export const coreKeys = {
  ENVIRONMENT: key(t.oneOf(ENVIRONMENT_NAMES), {
    group: 'Environment', required: true, example: 'production',
    help: 'Which kind of deployment this is. Production turns off debug output in the apps.',
  }),
  APP_NAME: key(t.nonEmpty(), { group: 'Environment', default: 'Woosoo', help: 'Display name of the application (Laravel APP_NAME, PWA title).' }),
  APP_DEBUG: key(t.bool(), { group: 'Environment', default: 'false', help: 'Laravel debug mode. Never true in production: it shows stack traces to users.' }),

  APP_IP: key(t.ipv4(), {
    group: 'Network', required: true, example: '192.168.1.50',
    help: 'The server\'s LAN IPv4 address: tablets and relay devices reach the stack here. Must be assigned to a local interface.',
  }),
  HTTP_PORT: key(t.port(), { group: 'Network', default: '80', help: 'Port nginx serves the PWA and the API on (80, or 1024–65535).' }),
  HTTPS_PORT: key(t.port(), { group: 'Network', default: '443', help: 'Port for HTTPS when HTTPS_ENABLED is true (443, or 1024–65535).' }),
  HTTPS_ENABLED: key(t.bool(), { group: 'Network', default: 'false', help: 'Serve HTTPS with the certificate in certs/ (see New-WoosooCertificate).' }),
  BACKEND_PORT: key(t.port(), { group: 'Network', default: '8000', help: 'Port the Laravel backend (php) listens on behind nginx (1024–65535).' }),
  REVERB_PORT: key(t.port(), { group: 'Network', default: '8080', help: 'Port of the Reverb websocket server (1024–65535).' }),
  BACKEND_GREEN_PORT: key(t.port(), {
    group: 'Network', default: '8100', help: 'Port of the green colour\'s backend (DEPLOY_STRATEGY=BlueGreen): a deploy starts the new release on the idle colour\'s ports beside the live one (blue uses BACKEND_PORT).',
  }),
  REVERB_GREEN_PORT: key(t.port(), {
    group: 'Network', default: '8180', help: 'Port of the green colour\'s Reverb server (DEPLOY_STRATEGY=BlueGreen; blue uses REVERB_PORT).',
  }),

  DB_CONNECTION: key(t.oneOf(['mysql', 'mariadb']), { group: 'Database', default: 'mysql', help: 'Laravel database driver.' }),
  DB_HOST: key(t.nonEmpty(), { group: 'Database', default: '127.0.0.1', required: true, help: 'Database server host name or address.' }),
  DB_PORT: key(t.port(), { group: 'Database', default: '3306', help: 'Database server port.' }),
  DB_DATABASE: key(t.nonEmpty(), { group: 'Database', required: true, example: 'woosoo', help: 'Database (schema) name.' }),
  DB_USERNAME: key(t.nonEmpty(), { group: 'Database', required: true, example: 'woosoo', help: 'Database user the backend connects as.' }),
  DB_PASSWORD: key(t.string(), { group: 'Database', required: true, secret: true, help: 'Password of DB_USERNAME (at least 8 characters).' }),

  REVERB_ENABLED: key(t.bool(), {
    group: 'Reverb', default: 'true',
    help: 'Run Laravel Reverb (the websocket service, its nginx location, its health check). false for an app without Reverb: then REVERB_APP_KEY and REVERB_APP_SECRET are not needed and the backend broadcasts to the log.',
  }),
  REVERB_APP_ID: key(t.nonEmpty(), { group: 'Reverb', default: 'woosoo', help: 'Reverb application id.' }),
  REVERB_APP_KEY: key(t.nonEmpty(), { group: 'Reverb', required: true, secret: true, help: 'Reverb application key (clients use it to connect).' }),
  REVERB_APP_SECRET: key(t.nonEmpty(), { group: 'Reverb', required: true, secret: true, help: 'Reverb application secret (server side only).' }),

  BACKEND_PATH: key(t.path(), { group: 'Applications', default: 'apps/woosoo-nexus', help: 'Folder of the Laravel backend, relative to the project folder.' }),
  PWA_PATH: key(t.path(), { group: 'Applications', default: 'apps/tablet-ordering-pwa', help: 'Folder of the Nuxt PWA, relative to the project folder.' }),
  PWA_ENABLED: key(t.bool(), {
    group: 'Applications', default: 'true',
    help: 'Build and serve the PWA from PWA_PATH. false for a project without one: nothing is built or rendered there, and nginx serves only the API and websockets.',
  }),
  RELAY_PATH: key(t.path(), { group: 'Applications', default: 'apps/relay-device-v2', help: 'Folder of the Flutter relay app, relative to the project folder.' }),
  RELAY_ENABLED: key(t.bool(), { group: 'Applications', default: 'false', help: 'Build and deploy the Flutter relay app (needs Flutter).' }),

  SERVICE_MANAGER: key(t.oneOf(['auto', 'nssm', 'pm2']), { group: 'Tools', default: 'auto', help: 'Service backend: auto = NSSM on Windows, PM2 elsewhere.' }),
  PHP_PATH: key(t.string(), { group: 'Tools', default: '', help: 'php executable; empty = php on PATH.' }),
  COMPOSER_PATH: key(t.string(), { group: 'Tools', default: '', help: 'composer executable; empty = composer on PATH.' }),
  NODE_PATH: key(t.string(), { group: 'Tools', default: '', help: 'node executable; empty = node on PATH.' }),
  NPM_PATH: key(t.string(), { group: 'Tools', default: '', help: 'npm executable; empty = npm on PATH.' }),
  NGINX_PATH: key(t.string(), { group: 'Tools', default: '', help: 'nginx executable; empty = nginx on PATH.' }),
  MYSQL_PATH: key(t.string(), { group: 'Tools', default: '', help: 'MySQL/MariaDB client; empty = mariadb, then mysql, on PATH.' }),
  MYSQLDUMP_PATH: key(t.string(), { group: 'Tools', default: '', help: 'Dump tool; empty = mariadb-dump, then mysqldump, on PATH.' }),
  NSSM_PATH: key(t.string(), { group: 'Tools', default: '', help: 'nssm.exe; empty = bin/nssm/win64|win32/nssm.exe by OS architecture, then PATH.' }),
  MKCERT_PATH: key(t.string(), { group: 'Tools', default: '', help: 'mkcert; empty = bin/mkcert/, then PATH.' }),
  FLUTTER_PATH: key(t.string(), { group: 'Tools', default: '', help: 'flutter; empty = flutter on PATH (only needed for the relay app).' }),
  GIT_PATH: key(t.string(), { group: 'Tools', default: '', help: 'git (optional); empty = git on PATH.' }),
} satisfies KeyTable;
