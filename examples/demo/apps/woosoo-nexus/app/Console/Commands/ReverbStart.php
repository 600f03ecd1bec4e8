<?php

namespace App\Console\Commands;

use Illuminate\Console\Command;

/**
 * Stand-in for Laravel Reverb (which needs Laravel 10+): a minimal RFC 6455 WebSocket echo server.
 * Upgrades any GET path (a Pusher client on /app/KEY first gets pusher:connection_established, as from Reverb),
 * echoes text/binary frames (fragments too), answers pings, and closes every
 * connection with 1001 then exits 0 on SIGINT/SIGTERM (Ctrl-C/Ctrl-Break on Windows).
 * A plain HTTP GET without upgrade headers gets 200 {"status":"ok","connections":N} for health probes.
 */
class ReverbStart extends Command
{
    protected $signature = 'reverb:start
        {--host=0.0.0.0 : Address to listen on}
        {--port= : Port (default: config reverb.server.port = REVERB_SERVER_PORT, else REVERB_PORT)}';

    protected $description = 'Start a minimal WebSocket echo server (stand-in for Laravel Reverb)';

    private const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

    /** @var array<int, array{sock: resource, buf: string, open: bool}> */
    private $clients = [];
    private $running = true;

    public function handle()
    {
        $host = (string) $this->option('host');
        $port = (int) ($this->option('port') ?: config('reverb.server.port', 8080));
        if (! $server = @stream_socket_server("tcp://{$host}:{$port}", $errno, $errstr)) {
            $this->error("reverb:start cannot listen on {$host}:{$port}: {$errstr} ({$errno})");

            return 1;
        }
        $stop = function () { $this->running = false; };
        if (extension_loaded('pcntl')) {
            pcntl_async_signals(true);
            pcntl_signal(SIGINT, $stop);
            pcntl_signal(SIGTERM, $stop);
        } elseif (function_exists('sapi_windows_set_ctrl_handler')) {
            sapi_windows_set_ctrl_handler($stop);
        }
        $this->line("Reverb stand-in listening on ws://{$host}:{$port}");

        while ($this->running) {
            $read = array_merge([$server], array_column($this->clients, 'sock'));
            $write = $except = null;
            if (! @stream_select($read, $write, $except, 1)) {
                continue; // timeout, or interrupted by a signal
            }
            foreach ($read as $sock) {
                if ($sock !== $server) {
                    $this->receive((int) $sock);
                } elseif ($conn = @stream_socket_accept($server, 0)) {
                    $this->clients[(int) $conn] = ['sock' => $conn, 'buf' => '', 'open' => false];
                }
            }
        }
        foreach (array_keys($this->clients) as $id) {
            $this->close($id, 1001); // going away
        }
        fclose($server);
        $this->line('Reverb stand-in stopped');

        return 0;
    }

    private function receive(int $id): void
    {
        $data = @fread($this->clients[$id]['sock'], 65536);
        if ($data === false || ($data === '' && feof($this->clients[$id]['sock']))) {
            $this->close($id, 0);

            return;
        }
        $this->clients[$id]['buf'] .= $data;
        if ($this->clients[$id]['open'] || $this->handshake($id)) {
            $this->frames($id);
        }
    }

    private function handshake(int $id): bool
    {
        $buf = $this->clients[$id]['buf'];
        if (($end = strpos($buf, "\r\n\r\n")) === false) {
            strlen($buf) > 8192 && $this->close($id, 0);

            return false;
        }
        $lines = explode("\r\n", substr($buf, 0, $end));
        $request = array_shift($lines);
        $headers = [];
        foreach ($lines as $line) {
            [$name, $value] = array_pad(explode(':', $line, 2), 2, '');
            $headers[strtolower(trim($name))] = trim($value);
        }
        $key = $headers['sec-websocket-key'] ?? '';
        $sock = $this->clients[$id]['sock'];
        if (! preg_match('#^GET \S+ HTTP/1\.1$#', $request) || $key === ''
            || stripos($headers['upgrade'] ?? '', 'websocket') === false) {
            $get = strncmp($request, 'GET ', 4) === 0;
            $body = $get ? json_encode(['status' => 'ok', 'connections' => count(array_filter(array_column($this->clients, 'open')))]) : '';
            @fwrite($sock, 'HTTP/1.1 '.($get ? '200 OK' : '400 Bad Request')."\r\nContent-Type: application/json\r\n"
                .'Content-Length: '.strlen($body)."\r\nConnection: close\r\n\r\n".$body);
            $this->close($id, 0);

            return false;
        }
        $accept = base64_encode(sha1($key.self::GUID, true));
        @fwrite($sock, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {$accept}\r\n\r\n");
        $this->clients[$id] = ['sock' => $sock, 'buf' => substr($buf, $end + 4), 'open' => true];
        $this->line("connection #{$id} open", null, 'v');
        // Like Reverb, a Pusher client (/app/KEY) is told its socket id first; Laravel Echo waits for this message.
        if (preg_match('#^GET /app/#', $request)) {
            $hello = json_encode(['event' => 'pusher:connection_established', 'data' => json_encode(['socket_id' => getmypid().'.'.$id, 'activity_timeout' => 30])]);
            @fwrite($sock, chr(0x81).chr(strlen($hello)).$hello);
        }

        return true;
    }

    private function frames(int $id): void
    {
        $b = $this->clients[$id]['buf'];
        while (strlen($b) >= 2) {
            [$b0, $b1, $off] = [ord($b[0]), ord($b[1]), 2];
            $len = $b1 & 0x7f;
            if ($len === 126) {
                [$len, $off] = strlen($b) >= 4 ? [unpack('n', $b, 2)[1], 4] : [-1, 0];
            } elseif ($len === 127) {
                [$len, $off] = strlen($b) >= 10 ? [unpack('J', $b, 2)[1], 10] : [-1, 0];
            }
            if ($len < 0 || strlen($b) < $off + 4 + $len) {
                break; // incomplete frame: wait for more bytes
            }
            if (! ($b1 & 0x80) || $len > 1048576) {
                $this->close($id, ($b1 & 0x80) ? 1009 : 1002); // too big / client frames must be masked

                return;
            }
            $mask = substr($b, $off, 4);
            $payload = substr($b, $off + 4, $len) ^ substr(str_repeat($mask, intdiv($len, 4) + 1), 0, $len);
            $b = substr($b, $off + 4 + $len);
            $opcode = $b0 & 0x0f;
            if ($opcode === 0x8) { // close: answer with the client's code and go
                $this->close($id, strlen($payload) >= 2 ? unpack('n', $payload)[1] : 1000);

                return;
            }
            if ($opcode !== 0xA) { // ping -> pong; text/binary/continuation echoed with FIN and opcode kept
                $this->send($id, $opcode === 0x9 ? 0x8A : ($b0 & 0x8f), $payload);
            }
        }
        $this->clients[$id]['buf'] = $b;
    }

    private function send(int $id, int $b0, string $payload): void
    {
        $n = strlen($payload);
        $head = chr($b0).($n < 126 ? chr($n) : ($n < 65536 ? chr(126).pack('n', $n) : chr(127).pack('J', $n)));
        @fwrite($this->clients[$id]['sock'], $head.$payload);
    }

    /** Close a connection; $code 0 = no close frame (not upgraded, or peer gone). */
    private function close(int $id, int $code): void
    {
        if ($code && $this->clients[$id]['open']) {
            $this->send($id, 0x88, pack('n', $code));
        }
        @fclose($this->clients[$id]['sock']);
        unset($this->clients[$id]);
        $this->line("connection #{$id} closed", null, 'v');
    }
}
