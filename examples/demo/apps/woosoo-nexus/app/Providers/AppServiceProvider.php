<?php

namespace App\Providers;

use App\Queue\Worker;
use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Support\Facades\Facade;
use Illuminate\Support\ServiceProvider;

class AppServiceProvider extends ServiceProvider
{
    public function register()
    {
        // Laravel 8's queue worker only traps SIGTERM; PM2 stops processes with SIGINT.
        // Swap in a worker that also finishes the current job on SIGINT/SIGQUIT.
        $this->app->extend('queue.worker', function ($worker, $app) {
            return new Worker(
                $app['queue'],
                $app['events'],
                $app[ExceptionHandler::class],
                function () use ($app) {
                    return $app->isDownForMaintenance();
                },
                function () use ($app) {
                    if (method_exists($app['log']->driver(), 'withoutContext')) {
                        $app['log']->withoutContext();
                    }
                    $app->forgetScopedInstances();

                    return Facade::clearResolvedInstances();
                }
            );
        });
    }
}
