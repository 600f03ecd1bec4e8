<?php

namespace App\Http\Controllers;

use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Log;
use Throwable;

/**
 * GET /api/health: 200 when the database answers and the queue tables can be read, 503 otherwise.
 * The body always says why: {"status","db","queue":{"pending","failed"}|null,"time","app"[, "error"]}.
 */
class HealthController
{
    public function __invoke()
    {
        $body = ['status' => 'ok', 'db' => false, 'queue' => null];

        try {
            DB::connection()->select('select 1');
            $body['db'] = true;
            $body['queue'] = [
                'pending' => DB::table(config('queue.connections.database.table', 'jobs'))->count(),
                'failed' => DB::table(config('queue.failed.table', 'failed_jobs'))->count(),
            ];
        } catch (Throwable $e) {
            $body['status'] = 'error';
            $body['error'] = $body['db'] ? 'queue tables unreadable (migrations not run?)' : 'database unreachable';
            if (config('app.debug')) {
                $body['detail'] = $e->getMessage();
            }
            Log::warning('health check failed: '.$e->getMessage());
            DB::purge();
        }

        $body['time'] = now()->toIso8601String();
        $body['app'] = config('app.name');

        return response()->json($body, $body['status'] === 'ok' ? 200 : 503);
    }
}
