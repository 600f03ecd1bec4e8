<?php

namespace App\Console\Commands;

use Illuminate\Console\Command;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Artisan;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Route;
use Illuminate\Support\Facades\Schema;
use Throwable;

/** The app's own deploy test (no phpunit needed): exit 0 when config, routes, views and commands are in place. */
class SelfTest extends Command
{
    protected $signature = 'app:selftest {--db : Also check the database connection and the migrated tables}';

    protected $description = 'Check that configuration loads and routes/commands are registered (exit 1 on failure)';

    private $passed = 0;
    private $failed = 0;

    public function handle()
    {
        $this->check('config loaded (app, database, queue)', function () {
            return config('app.name') && is_array(config('database.connections')) && config('queue.default');
        });
        foreach (['GET /api/health', 'GET /api/orders', 'POST /api/orders', 'GET /api/orders/1', 'GET /'] as $route) {
            $this->check("route {$route}", function () use ($route) {
                [$method, $uri] = explode(' ', $route);

                return (bool) Route::getRoutes()->match(Request::create($uri, $method));
            });
        }
        $this->check('view welcome', function () {
            return view()->exists('welcome');
        });
        foreach (['queue:work', 'migrate', 'reverb:start', 'order:dispatch'] as $command) {
            $this->check("command {$command}", function () use ($command) {
                return array_key_exists($command, Artisan::all());
            });
        }
        if (! config('app.key')) {
            $this->warn('WARN APP_KEY is empty: run `php artisan key:generate --force`');
        }
        if ($this->option('db')) {
            $this->check('database answers', function () {
                return DB::select('select 1 as ok')[0]->ok == 1;
            });
            foreach (['migrations', 'jobs', 'failed_jobs', 'orders'] as $table) {
                $this->check("table {$table}", function () use ($table) {
                    return Schema::hasTable($table);
                });
            }
        }
        $this->line("selftest: {$this->passed} passed, {$this->failed} failed");

        return $this->failed ? 1 : 0;
    }

    private function check(string $name, callable $test): void
    {
        try {
            $ok = (bool) $test();
            $error = '';
        } catch (Throwable $e) {
            [$ok, $error] = [false, ': '.$e->getMessage()];
        }
        $ok ? $this->passed++ : $this->failed++;
        $this->line(($ok ? 'ok   ' : 'FAIL ').$name.$error);
    }
}
