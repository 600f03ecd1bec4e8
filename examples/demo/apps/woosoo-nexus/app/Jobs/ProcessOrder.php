<?php

namespace App\Jobs;

use App\Models\Order;
use Illuminate\Bus\Queueable;
use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Bus\Dispatchable;
use Illuminate\Queue\InteractsWithQueue;
use Illuminate\Queue\SerializesModels;
use Illuminate\Support\Facades\Log;
use RuntimeException;

/** Marks an order processed and writes a log line. An order for item "fail" always throws (to exercise failed_jobs). */
class ProcessOrder implements ShouldQueue
{
    use Dispatchable, InteractsWithQueue, Queueable, SerializesModels;

    public $order;

    public function __construct(Order $order)
    {
        $this->order = $order;
    }

    public function handle()
    {
        if ($this->order->item === 'fail') {
            throw new RuntimeException("order {$this->order->id}: item 'fail' always fails");
        }

        $this->order->forceFill(['status' => 'processed', 'processed_at' => now()])->save();

        Log::info("order {$this->order->id} processed", [
            'item' => $this->order->item,
            'quantity' => $this->order->quantity,
            'attempt' => $this->attempts(),
        ]);
    }

    public function failed($e)
    {
        $this->order->forceFill(['status' => 'failed'])->save();
    }
}
