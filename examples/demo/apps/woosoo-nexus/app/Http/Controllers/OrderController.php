<?php

namespace App\Http\Controllers;

use App\Jobs\ProcessOrder;
use App\Models\Order;
use Illuminate\Http\Request;

class OrderController
{
    /** GET /api/orders: the 20 latest orders. */
    public function index()
    {
        return response()->json(['data' => Order::latest('id')->limit(20)->get()]);
    }

    /** GET /api/orders/{order} */
    public function show(Order $order)
    {
        return response()->json(['data' => $order]);
    }

    /** POST /api/orders {item, quantity?, table_no?}: stores the order and queues ProcessOrder; 202. */
    public function store(Request $request)
    {
        $data = $request->validate([
            'item' => 'required|string|max:100',
            'quantity' => 'sometimes|integer|min:1|max:99',
            'table_no' => 'sometimes|string|max:16',
        ]);

        $order = Order::create($data + ['status' => 'queued']);
        ProcessOrder::dispatch($order);

        return response()->json(['data' => $order->fresh()], 202);
    }
}
