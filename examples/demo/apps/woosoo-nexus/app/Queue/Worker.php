<?php

namespace App\Queue;

use Illuminate\Queue\Worker as BaseWorker;

/**
 * Laravel 8's worker quits gracefully on SIGTERM only (Ctrl-C / SIGINT kills it mid-job).
 * This one treats SIGINT and SIGQUIT like SIGTERM: finish the running job, then exit 0.
 */
class Worker extends BaseWorker
{
    protected function listenForSignals()
    {
        parent::listenForSignals();

        foreach ([SIGINT, SIGQUIT] as $signal) {
            pcntl_signal($signal, function () {
                $this->shouldQuit = true;
            });
        }
    }
}
