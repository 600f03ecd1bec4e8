<?php

use App\Jobs\ProcessOrder;
use App\Models\Order;
use Illuminate\Support\Facades\Artisan;

Artisan::command('order:dispatch {item=demo} {--quantity=1}', function ($item) {
    $order = Order::create(['item' => $item, 'quantity' => (int) $this->option('quantity')]);
    ProcessOrder::dispatch($order);
    $this->info("order {$order->id} queued");
})->purpose('Create an order and queue the ProcessOrder job');
